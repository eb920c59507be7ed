package ranged

import "fmt"

func startPrinter() chan<- string {
	lines := make(chan string, 8)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `lines`, which nothing closes"
		for line := range lines {
			fmt.Println(line)
		}
	}()
	lines <- "ready"
	return nil
}

func setup() {
	startPrinter()
}
