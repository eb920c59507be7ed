package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws := setupAll(ctx, os.Args[1:]...)
	fmt.Println("watching", len(ws))
	Setup()
}
