package nearmiss

import (
	"io/fs"
	"os"
	"testing"
)

// These calls are expected to succeed, or their failure is not asserted: a success leaks the file.

func checkExists(t *testing.T, path string) {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	if err != nil {
		t.Fatal(err)
	}
}

func checkLogsSuccess(t *testing.T, path string) {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	if err == nil {
		t.Log("the file exists")
	}
}

func checkPathError(t *testing.T, path string) {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	if pe, ok := err.(*fs.PathError); ok {
		t.Log(pe.Path)
	}
}

// The assertion that would panic on success is only reached on failure.
func checkReturnsFirst(t *testing.T, path string) {
	_, err := os.Open(path) // want "unclosed-resource the file returned by os.Open is discarded and never released \\(no fix: it is assigned to `_`, nothing is left to release\\)$"
	if err == nil {
		return
	}
	pe := err.(*fs.PathError)
	t.Log(pe.Path)
}
