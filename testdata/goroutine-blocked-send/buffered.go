package buffered

import (
	"errors"
	"time"
)

// Fetch already gives the sender room for its one value.
func Fetch(fetch func() string, timeout time.Duration) (string, error) {
	ch := make(chan string, 1)
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
