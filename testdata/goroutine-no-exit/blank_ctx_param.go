package blank

import (
	"context"
	"fmt"
)

// worker takes a context it ignores: the fix names it rather than adding a second one.
func worker(_ context.Context) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for v := range ch {
			fmt.Println(v)
		}
	}()
	ch <- 1
}

// unnamed has no parameter names at all.
func unnamed(context.Context, int) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `ch`"
		for v := range ch {
			fmt.Println(v)
		}
	}()
	ch <- 1
}

func run() {
	worker(context.Background())
	unnamed(context.Background(), 1)
}
