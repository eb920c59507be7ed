package cases

import "io"

type reader struct {
	buf  []byte
	line []byte
}

// The whole buffer is kept in a field anyway: a copy of its first line would free nothing.
func (r *reader) fill(src io.Reader) error {
	buf := make([]byte, 64<<10)
	n, err := src.Read(buf)
	r.buf = buf
	r.line = buf[:n]
	return err
}
