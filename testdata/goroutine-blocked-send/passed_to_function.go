package passedtofunction

import "time"

func produce(ch chan<- int) {
	ch <- 42
}

// Wait passes the channel to a named function: what it does with it is not visible here.
func Wait(timeout time.Duration) int {
	ch := make(chan int)
	go produce(ch)
	select {
	case v := <-ch:
		return v
	case <-time.After(timeout):
		return 0
	}
}
