package rangeint

import "time"

// Race runs three attempts and takes the first answer within the timeout.
func Race(try func(int) bool, timeout time.Duration) bool {
	won := make(chan bool) // want "`won` .*can return through `case <-time.After\\(timeout\\)`"
	for i := range 3 {
		go func() { won <- try(i) }()
	}
	select {
	case ok := <-won:
		return ok
	case <-time.After(timeout):
		return false
	}
}

// Retry makes retries+1 attempts and returns the first answer.
func Retry(retries int, try func() error) error {
	errc := make(chan error) // want "`errc` .*goroutines started in a loop send"
	for i := 0; i <= retries; i++ {
		go func() { errc <- try() }()
	}
	return <-errc
}
