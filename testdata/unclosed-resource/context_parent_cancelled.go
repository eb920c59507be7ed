package parentcancelled

import (
	"context"
	"time"
)

// The child's parent is cancelled by this function: cancelling it releases the child too.
func lookup(ctx context.Context) error {
	parent, cancel := context.WithCancel(ctx)
	defer cancel()
	child, _ := context.WithTimeout(parent, time.Second)
	<-child.Done()
	return child.Err()
}

func cancelledFirst(ctx context.Context, cause error) error {
	parent, pcancel := context.WithCancelCause(ctx)
	pcancel(cause)
	child, _ := context.WithCancel(parent)
	return child.Err()
}

func concurrently(ctx context.Context, cause error) error {
	for i := 0; i < 3; i++ {
		parent, pcancel := context.WithCancelCause(ctx)
		go pcancel(cause)
		child, _ := context.WithCancel(parent)
		<-child.Done()
	}
	return nil
}
