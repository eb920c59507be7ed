package bare

import (
	"context"
	"fmt"
)

// consume prints what arrives on a channel nobody ever sends on.
func consume(ctx context.Context, name string) {
	ch := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `ch`"
		for {
			msg := <-ch
			fmt.Println(name, msg)
		}
	}()
	fmt.Println("started", name, ctx.Err())
}
