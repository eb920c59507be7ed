package ctxdone

import (
	"context"
	"fmt"
)

func safeGoroutine(ctx context.Context) {
	ch := make(chan int)
	go func() {
		for {
			select {
			case <-ctx.Done():
				fmt.Println("Goroutine exited")
				return
			case data := <-ch:
				fmt.Println("Received:", data)
			}
		}
	}()
}
