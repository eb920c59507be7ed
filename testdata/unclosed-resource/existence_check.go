package exists

import (
	"errors"
	"os"
)

// Outside a test nothing asserts the failure: opening a file to see whether it exists leaks it
// whenever it does.
func exists(path string) bool {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	return err == nil
}

func refuseToOverwrite(path string) error {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	if err == nil {
		return errors.New("already exists")
	}
	return nil
}
