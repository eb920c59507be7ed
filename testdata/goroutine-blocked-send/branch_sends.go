package branchsends

import (
	"errors"
	"time"
)

type result struct {
	n   int
	err error
}

// Parse parses input in the background; each run of the goroutine sends exactly one result.
func Parse(input string, parse func(string) (int, error), timeout time.Duration) (int, error) {
	ch := make(chan result) // want "`ch` .*the select on line 24"
	go func() {
		n, err := parse(input)
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{n: n}
	}()
	select {
	case r := <-ch:
		return r.n, r.err
	case <-time.After(timeout):
		return 0, errors.New("parse timed out")
	}
}
