package main

import "fmt"

func worker() {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for v := range ch {
			fmt.Println(v)
		}
	}()
	ch <- 1
}

func main() { worker() }
