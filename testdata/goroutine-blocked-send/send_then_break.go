package sendthenbreak

import "time"

// Until retries try until it succeeds; the goroutine sends once, then leaves its loop.
func Until(try func() (int, bool), timeout time.Duration) (int, bool) {
	ch := make(chan int) // want "`ch` .*the select on line 16 can return"
	go func() {
		for {
			if v, ok := try(); ok {
				ch <- v
				break
			}
		}
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}
