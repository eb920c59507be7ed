package gotoloop

import "time"

// Fetch starts n goroutines with a goto loop: one buffer slot would still leave n-1 of them blocked.
func Fetch(n int, f func(int) int) int {
	ch := make(chan int) // want "`ch` .*\\(no fix: a goto can run the `go` statement again: how many goroutines send is unknown\\)"
	i := 0
again:
	go func() { ch <- f(i) }()
	i++
	if i < n {
		goto again
	}
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}

// Retry jumps back to a label before the go statement from a goto written above it: the enclosing loop
// can still take it after the go statement ran.
func Retry(n int, f func() int) int {
	ch := make(chan int) // want "`ch` .*\\(no fix: a goto can run the `go` statement again"
	tries := 0
again:
	for i := 0; i < 2; i++ {
		if i == 1 && tries < n {
			tries++
			goto again
		}
		if i == 0 {
			go func() { ch <- f() }()
		}
	}
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}

// Forward jumps over the go statement, which still runs at most once: the fix stays.
func Forward(skip bool, f func() int) int {
	ch := make(chan int) // want "`ch` .*the select on line 54 can return"
	if skip {
		goto done
	}
	go func() { ch <- f() }()
done:
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Millisecond):
		return -1
	}
}
