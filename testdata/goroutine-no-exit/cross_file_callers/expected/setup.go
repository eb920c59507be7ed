package main

import (
	"context"
	"fmt"
)

func setupAll(ctx context.Context, names ...string) []*watcher {
	var ws []*watcher
	for _, n := range names {
		ws = append(ws, startWatcher(ctx, n))
	}
	return ws
}

// Setup is exported: it passes context.TODO() and is reported as a follow-up.
func Setup() {
	fmt.Println(len(setupAll(context.TODO(), "a", "b")))
}
