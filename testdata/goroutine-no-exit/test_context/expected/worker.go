package worker

import (
	"context"
	"fmt"
)

func startWorker(ctx context.Context, name string) {
	tasks := make(chan func())
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `tasks`"
		for {
			select {
			case <-ctx.Done():
				return
			case task, ok := <-tasks:
				if !ok {
					return
				}
				task()
			}
		}
	}()
	fmt.Println("worker", name)
}
