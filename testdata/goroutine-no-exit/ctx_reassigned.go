package reassigned

import (
	"context"
	"fmt"
	"time"
)

// work narrows its ctx after starting the goroutine: the goroutine must not read the variable while
// it is being assigned, so the fix copies it first.
func work(ctx context.Context) error {
	results := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `results`"
		for v := range results {
			fmt.Println("got", v)
		}
	}()
	results <- 1
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	results <- 2
	<-ctx.Done()
	return nil
}

// clear sets its context to nil after starting the goroutine.
func clear(c context.Context, n int) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for v := range ch {
			fmt.Println(v, n)
		}
	}()
	ch <- 1
	c = nil
	_ = c
}

// once assigns its ctx only before the goroutine starts, in the same statement that declares it.
func once(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for v := range ch {
			fmt.Println(v)
		}
	}()
	ch <- 1
	<-ctx.Done()
}
