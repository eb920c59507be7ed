package donebeforesend

import "time"

// Run signals started before it sends: taking <-started leaves the send pending.
func Run(work func() int) int {
	ch := make(chan int) // want "`ch` .*the select on line 14 can return through `case <-started`"
	started := make(chan struct{})
	go func() {
		close(started)
		time.Sleep(time.Millisecond)
		ch <- work()
	}()
	select {
	case v := <-ch:
		return v
	case <-started:
		return -1
	}
}
