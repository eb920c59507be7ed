package main

import (
	"fmt"
	"os"
)

func readFile() error {
	f, err := os.Open("example.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Println(f.Name())
	return nil
}

func main() {
	_ = readFile()
}
