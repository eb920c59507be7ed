// A one-shot command under cmd/: its symbol table grows for one run and is freed when it exits.
package main

import (
	"fmt"
	"os"
)

var symbols = map[string]int{}

func intern(name string) int {
	if id, ok := symbols[name]; ok {
		return id
	}
	symbols[name] = len(symbols)
	return symbols[name]
}

func main() {
	for _, arg := range os.Args[1:] {
		fmt.Println(intern(arg))
	}
}
