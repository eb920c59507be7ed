package main

import (
	"context"
	"fmt"
)

func worker(ctx context.Context) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for {
			select {
			case <-ctx.Done():
				return
			case v, ok := <-ch:
				if !ok {
					return
				}
				fmt.Println(v)
			}
		}
	}()
	ch <- 1
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	worker(ctx)
}
