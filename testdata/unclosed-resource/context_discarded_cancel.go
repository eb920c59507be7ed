package contextcancel

import (
	"context"
	"time"
)

func wait(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded"
	<-ctx.Done()
	return ctx.Err()
}

func until(parent context.Context, at time.Time) error {
	ctx, _ := context.WithDeadline(parent, at) // want "unclosed-resource the cancel function is discarded"
	<-ctx.Done()
	return ctx.Err()
}

func child(parent context.Context) bool {
	ctx, _ := context.WithCancel(parent) // want "unclosed-resource the cancel function is discarded"
	return ctx.Err() == nil
}

// The parameter already uses the name `cancel`: the fix picks another.
func named(parent context.Context, cancel bool) bool {
	ctx, _ := context.WithCancel(parent) // want "unclosed-resource the cancel function is discarded"
	return ctx.Err() == nil && cancel
}
