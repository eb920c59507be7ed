package main

import (
	"fmt"
	"os"
)

func readFile() {
	file, _ := os.Open("example.txt") // want "unclosed-resource file `file` from os.Open is never released"
	fmt.Println("File opened:", file.Name())
}

func main() {
	readFile()
}
