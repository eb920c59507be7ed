package timeoutselect

import (
	"errors"
	"time"
)

// Fetch waits at most timeout for fetch to produce a result.
func Fetch(fetch func() string, timeout time.Duration) (string, error) {
	ch := make(chan string) // want "goroutine-blocked-send .*unbuffered channel `ch` .*the select on line 14 can return through `case <-time.After\\(timeout\\)`"
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
