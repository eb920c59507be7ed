package main

import (
	"fmt"
	"os"
)

func relay(depth int) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			v := <-ch
			fmt.Println(v)
		}
	}()
	if depth > 0 {
		relay(depth - 1)
	}
}

func main() {
	logs := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			select {
			case l := <-logs:
				fmt.Fprintln(os.Stderr, l)
			}
		}
	}()
	relay(3)
}
