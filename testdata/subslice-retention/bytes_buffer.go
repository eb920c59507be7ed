package cases

import (
	"bytes"
	"fmt"
)

func summary(items []string) []byte {
	var buf bytes.Buffer
	for _, it := range items {
		fmt.Fprintf(&buf, "%s\n", it)
	}
	all := buf.Bytes()
	return all[:80] // want "subslice `all\\[:80\\]` is returned but keeps the whole backing array of `all` \\(bytes.Buffer.Bytes\\)"
}
