package receiveaftertimeout

import (
	"log"
	"time"
)

// Slow logs when the work is slow, but still waits for it.
func Slow(work func() int, warn time.Duration) int {
	ch := make(chan int)
	go func() { ch <- work() }()
	select {
	case v := <-ch:
		return v
	case <-time.After(warn):
		log.Println("still waiting")
	}
	return <-ch
}
