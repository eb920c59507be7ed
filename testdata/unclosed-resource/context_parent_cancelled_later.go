package parentlater

import (
	"context"
	"time"
)

// The parent is only cancelled when the function returns: the children made in the loop pile up
// until then, each with its timer.
func poll(ctx context.Context, try func(context.Context) bool) {
	parent, cancel := context.WithCancel(ctx)
	defer cancel()
	for {
		attempt, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded"
		if try(attempt) {
			return
		}
	}
}

// A parent whose cancel func this function never calls does not release the child.
func orphan(ctx context.Context) error {
	parent, cancel := context.WithCancel(ctx)
	_ = cancel
	child, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded"
	<-child.Done()
	return child.Err()
}
