package countedloop

import "time"

// Gather starts n workers and collects their results until the deadline.
func Gather(n int, work func(int) int, deadline time.Duration) []int {
	results := make(chan int) // want "`results` .*the select on line 16 can return through `case <-timeout`"
	for i := 0; i < n; i++ {
		go func() {
			results <- work(i)
		}()
	}
	var out []int
	timeout := time.After(deadline)
	for range n {
		select {
		case r := <-results:
			out = append(out, r)
		case <-timeout:
			return out
		}
	}
	return out
}
