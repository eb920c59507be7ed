package osopenfile

import (
	"log"
	"os"
)

func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644) // want "unclosed-resource file `f` from os.OpenFile is never released"
	if err != nil {
		log.Fatalf("open %s: %v", path, err)
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		log.Print(err)
	}
}
