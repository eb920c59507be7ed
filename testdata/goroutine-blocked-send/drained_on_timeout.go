package drainedontimeout

import "time"

// Stop cancels the work on timeout and waits for the goroutine's last value before returning.
func Stop(work func() int, cancel func(), timeout time.Duration) (int, bool) {
	ch := make(chan int)
	go func() { ch <- work() }()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(timeout):
		cancel()
		<-ch
		return 0, false
	}
}
