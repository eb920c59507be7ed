package panics

import (
	"context"
	"testing"
	"time"
)

// Each acquisition is the last thing a recover-guarded function does: it is made to see it panic.

func TestNilParent(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("WithCancel(nil) did not panic")
		}
	}()
	_, _ = context.WithCancel(nil)
}

func recovered(fn func()) (v any) {
	defer func() { v = recover() }()
	fn()
	return
}

func TestNilParentTimeout(t *testing.T) {
	if recovered(func() { _, _ = context.WithTimeout(nil, time.Second) }) == nil {
		t.Error("WithTimeout(nil) did not panic")
	}
}
