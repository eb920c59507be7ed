package cases

import "io"

const chunk = 1 << 20

var lastFrame []byte

func readFrame(r io.Reader) (int, error) {
	frame := make([]byte, chunk)
	n, err := io.ReadFull(r, frame)
	lastFrame = frame[:n] // want "subslice `frame\\[:n\\]` is stored in the package-level variable `lastFrame` but keeps the whole backing array of `frame` \\(make\\(\\[\\]byte, chunk\\)\\)"
	return n, err
}
