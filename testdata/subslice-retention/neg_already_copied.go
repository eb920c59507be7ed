package cases

import (
	"bytes"
	"io"
	"strings"
)

// Each result is already a copy of the part it keeps.
func copies(r io.Reader) ([]byte, []byte, string, []byte, string) {
	data, _ := io.ReadAll(r)
	out := make([]byte, 10)
	copy(out, data[:10])
	text := string(data)
	return out, append([]byte(nil), data[:20]...), string(data[:30]), bytes.Clone(data[:40]), strings.Clone(text[:50])
}
