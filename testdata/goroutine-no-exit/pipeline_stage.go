package pipeline

import "fmt"

// stage doubles odd numbers: it blocks forever on the send, as nobody reads out.
func stage() {
	in := make(chan int, 1)
	out := make(chan int)
	in <- 1
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `in`"
		for v := range in {
			if v%2 == 1 {
				out <- v * 2
			}
		}
	}()
	fmt.Println("stage started")
}

func relay() {
	requests := make(chan string)
	replies := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `requests`"
		for {
			select {
			case r := <-requests:
				replies <- "re: " + r
			}
		}
	}()
}

func start() {
	stage()
	relay()
}
