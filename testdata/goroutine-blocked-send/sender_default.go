package senderdefault

import "time"

// Notify's goroutine drops the value when nobody is listening.
func Notify(value func() int, timeout time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		v := value()
		select {
		case ch <- v:
		default:
		}
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}
