package closurestarted

import "time"

// Twice starts the sender from a closure it calls twice: two values are sent, the rule cannot count
// them, so it stays away (the go statement is not in the channel's own function).
func Twice(f func() int) int {
	ch := make(chan int)
	start := func() { go func() { ch <- f() }() }
	start()
	start()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}
