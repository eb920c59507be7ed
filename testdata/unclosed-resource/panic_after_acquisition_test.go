package panics

import (
	"os"
	"testing"
)

// The recover guards a later statement: the file is opened for real and leaks when that one panics.
func TestChmodPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	f, err := os.Open("testdata/file") // want "unclosed-resource file `f` from os.Open is never released"
	if err != nil {
		t.Fatal(err)
	}
	mustChmod(f.Name())
}

func mustChmod(name string) {
	if err := os.Chmod(name, 0o644); err != nil {
		panic(err)
	}
}
