package main

import "fmt"

type watcher struct {
	name   string
	events chan string
}

func (w *watcher) run() {
	for ev := range w.events {
		fmt.Println(w.name, ev)
	}
}

func startWatcher(name string) *watcher {
	w := &watcher{name: name, events: make(chan string)}
	go w.run() // want "goroutine-no-exit goroutine never exits: it ranges over `w.events`"
	return w
}
