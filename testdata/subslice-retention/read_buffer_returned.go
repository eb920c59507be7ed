package cases

import "io"

// readMessage reads one message of at most 64 KiB and returns it.
func readMessage(r io.Reader) ([]byte, error) {
	buf := make([]byte, 64*1024)
	n, err := r.Read(buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil // want "subslice-retention subslice `buf\\[:n\\]` is returned but keeps the whole backing array of `buf` \\(make\\(\\[\\]byte, 64\\*1024\\)\\)"
}
