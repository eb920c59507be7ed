package worker

import "fmt"

func startWorker(name string) {
	tasks := make(chan func())
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `tasks`"
		for task := range tasks {
			task()
		}
	}()
	fmt.Println("worker", name)
}
