package dropped

import "os"

// The file is opened and thrown away: nothing to release it with, so report only.
func touch(path string) {
	os.Create(path) // want "unclosed-resource the file returned by os.Create is discarded and never released \\(no fix: the result is dropped, nothing is left to release\\)$"
}
