package named

import (
	"context"
	"log"
)

type job struct{ id int }

func worker(id int, jobs <-chan job) {
	for j := range jobs {
		log.Printf("worker %d: job %d", id, j.id)
	}
}

func startPool(ctx context.Context, n int) {
	jobs := make(chan job)
	for i := 0; i < n; i++ {
		go worker(i, jobs) // want "goroutine-no-exit goroutine never exits: it ranges over `jobs`"
	}
	log.Println("pool of", n, ctx.Err())
}
