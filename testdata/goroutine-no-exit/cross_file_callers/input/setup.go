package main

import "fmt"

func setupAll(names ...string) []*watcher {
	var ws []*watcher
	for _, n := range names {
		ws = append(ws, startWatcher(n))
	}
	return ws
}

// Setup is exported: it passes context.TODO() and is reported as a follow-up.
func Setup() {
	fmt.Println(len(setupAll("a", "b")))
}
