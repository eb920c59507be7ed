package loopcontinue

import "os"

// A `continue` after the acquisition would skip a close at the end of the iteration: report only.
func nonEmpty(paths []string) []string {
	var out []string
	for _, p := range paths {
		f, err := os.Open(p) // want "unclosed-resource file `f` from os.Open is never released .* \\(no fix: a release at the end of the loop iteration would be skipped by the `continue`/`break`/`return` after the call\\)$"
		if err != nil {
			continue
		}
		info, err := f.Stat()
		if err != nil || info.Size() == 0 {
			continue
		}
		out = append(out, p)
	}
	return out
}
