package loopoutlives

import "os"

// f is declared outside the loop and read after it: closing it at the end of each iteration would
// break that read, so this is reported without a fix.
func lastHeader(paths []string) []byte {
	var f *os.File
	for _, p := range paths {
		f, _ = os.Open(p) // want "unclosed-resource file `f` from os.Open is never released .* \\(no fix: `f` is still used after the loop\\)$"
	}
	buf := make([]byte, 4)
	_, _ = f.Read(buf)
	return buf
}
