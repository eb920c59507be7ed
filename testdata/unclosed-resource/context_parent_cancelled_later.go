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
		attempt, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded.* \\(no fix: in a loop, a deferred cancel would keep every iteration's context until the function returns\\)$"
		if try(attempt) {
			return
		}
	}
}

// A parent whose cancel func this function never calls does not release the child (both are reported).
func orphan(ctx context.Context) error {
	parent, cancel := context.WithCancel(ctx) // want "unclosed-resource cancel function `cancel` from context.WithCancel is never released \\(missing cancel\\(\\)\\)$"
	_ = cancel
	child, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded: the context's resources leak until its parent is done$"
	<-child.Done()
	return child.Err()
}
