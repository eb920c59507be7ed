//go:build ignore

// A generator run by hand with `go run build_ignored_generator.go`: it exits right after writing.
package main

import (
	"fmt"
	"os"
)

func main() {
	out, err := os.Create("tables.go")
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(out, "package tables")
}
