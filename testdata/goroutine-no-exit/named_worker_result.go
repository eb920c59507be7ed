package result

import "fmt"

func pump(ch chan int) error {
	for {
		n := <-ch
		if n < 0 {
			fmt.Println("negative", n)
		}
	}
}

func startPump() {
	ch := make(chan int)
	go pump(ch) // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `ch`"
}

func startTwice() {
	startPump()
	startPump()
}
