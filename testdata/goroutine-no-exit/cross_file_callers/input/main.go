package main

import (
	"fmt"
	"os"
)

func main() {
	ws := setupAll(os.Args[1:]...)
	fmt.Println("watching", len(ws))
	Setup()
}
