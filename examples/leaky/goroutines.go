package leaky

import (
	"errors"
	"fmt"
	"time"
)

// StartListener is the article's leakyGoroutine: nobody sends on ch or closes it, so every call
// leaves a goroutine blocked forever.
func StartListener() {
	ch := make(chan int)
	go func() {
		for {
			select {
			case data := <-ch:
				fmt.Println("Received:", data)
			}
		}
	}()
}

// Fetch waits at most timeout for fetch: on a timeout the sender is left blocked on ch forever.
func Fetch(fetch func() string, timeout time.Duration) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- fetch()
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-time.After(timeout):
		return "", errors.New("timeout")
	}
}
