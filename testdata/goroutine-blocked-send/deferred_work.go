package deferredwork

import (
	"sync"
	"time"
)

// Fetch sends from a goroutine whose deferred calls run after its send: with a buffer they would run
// before the receiver receives, so the fix is unsafe.
func Fetch(wg *sync.WaitGroup, log *[]string, mu *sync.Mutex, f func() string, timeout time.Duration) string {
	ch := make(chan string) // want "`ch` .*the select on line 18 can return"
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { mu.Lock(); *log = append(*log, "sender exit"); mu.Unlock() }()
		ch <- f()
	}()
	select {
	case s := <-ch:
		return s
	case <-time.After(timeout):
		return ""
	}
}

// Closing only defers close of the channel itself: nothing the receiver can tell apart, the fix is safe.
func Closing(f func() string, timeout time.Duration) string {
	ch := make(chan string) // want "`ch` .*the select on line 33 can return"
	go func() {
		defer close(ch)
		ch <- f()
	}()
	select {
	case s := <-ch:
		return s
	case <-time.After(timeout):
		return ""
	}
}
