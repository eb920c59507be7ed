package closeonly

import "time"

// Done's goroutine only closes the channel: closing never blocks.
func Done(work func(), timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		work()
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}
