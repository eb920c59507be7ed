package todo

import (
	"context"
	"fmt"
)

func follow(ctx context.Context) {
	ch := make(chan int)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case v := <-ch:
				fmt.Println(v)
			}
		}
	}()
}

func Start() {
	follow(context.TODO()) // want "goroutine-no-exit follow-up: context.TODO\\(\\) passed to `follow`"
}

func background() {
	follow(context.Background())
}
