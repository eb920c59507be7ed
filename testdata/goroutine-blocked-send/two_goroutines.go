package twogoroutines

import "time"

// Hedged asks a primary and a backup and takes whichever answers first.
func Hedged(primary, backup func() string, timeout time.Duration) (string, bool) {
	ch := make(chan string) // want "`ch` .*the select on line 10 can return"
	go func() { ch <- primary() }()
	go func() { ch <- backup() }()
	select {
	case s := <-ch:
		return s, true
	case <-time.After(timeout):
		return "", false
	}
}

// Both asks two sources and returns the first answer only.
func Both(a, b func() int) int {
	ch := make(chan int) // want "`ch` .*up to 2 values are sent, but only one value is received"
	go func() { ch <- a() }()
	go func() { ch <- b() }()
	return <-ch
}
