package vardeclaration

import "context"

// Flush runs flush in the background and reports whether it finished before ctx was done.
func Flush(ctx context.Context, flush func()) bool {
	var done = make(chan struct{}) // want "`done` .*the select on line 12 can take `case <-ctx.Done\\(\\)` and nothing receives afterwards"
	go func() {
		flush()
		done <- struct{}{}
	}()
	select {
	case <-done:
		return true
	case <-ctx.Done():
	}
	return false
}
