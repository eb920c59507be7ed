package main

import (
	"context"
	"fmt"
)

type watcher struct {
	name   string
	events chan string
}

func (w *watcher) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.events:
			if !ok {
				return
			}
			fmt.Println(w.name, ev)
		}
	}
}

func startWatcher(ctx context.Context, name string) *watcher {
	w := &watcher{name: name, events: make(chan string)}
	go w.run(ctx) // want "goroutine-no-exit goroutine never exits: it ranges over `w.events`"
	return w
}
