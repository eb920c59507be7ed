package cases

var buffers [][]byte // want "package-level slice `buffers` only grows: it is appended to in newBuffer .*; for scratch buffers, use a sync.Pool"

func newBuffer(size int) []byte {
	b := make([]byte, size)
	buffers = append(buffers, b)
	return b
}
