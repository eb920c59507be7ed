package cases

import "io"

type Header struct {
	Magic []byte
	Size  int
}

func readHeader(r io.Reader) (*Header, error) {
	buf := make([]byte, 4096)
	n, err := io.ReadAtLeast(r, buf, 8)
	if err != nil {
		return nil, err
	}
	return &Header{Magic: buf[:4], Size: n}, nil // want "subslice `buf\\[:4\\]` is put in a composite literal that is returned"
}
