package dotimport

import (
	"fmt"
	. "os"
)

// Through a dot import the call site does not say which package it is: report, do not fix.
func show(path string) {
	f, err := Open(path) // want "unclosed-resource file `f` from Open is never released .* \\(no fix: the call is reached through a dot import\\)$"
	if err != nil {
		return
	}
	fmt.Println(f.Name())
}
