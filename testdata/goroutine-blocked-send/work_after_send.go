package workaftersend

import "time"

// Compute runs f in the background; the goroutine records that it finished after sending.
func Compute(f func() int, finished func(), timeout time.Duration) (int, bool) {
	ch := make(chan int) // want "`ch` .*the select on line 12 can return"
	go func() {
		ch <- f()
		finished()
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}
