//go:build ignore

// gen is run by hand with `go run gen.go`: it is not part of the package and exits when done.
package main

import "fmt"

func gen() {
	worker()
	in := make(chan string)
	go func() {
		for s := range in {
			fmt.Println(s)
		}
	}()
	in <- "x"
}
