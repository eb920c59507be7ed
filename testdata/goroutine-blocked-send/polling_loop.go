package pollingloop

import "time"

// Await polls until the value arrives; the default case never leaves the loop.
func Await(value func() int, tick time.Duration) int {
	ch := make(chan int)
	go func() { ch <- value() }()
	for {
		select {
		case v := <-ch:
			return v
		default:
			time.Sleep(tick)
		}
	}
}
