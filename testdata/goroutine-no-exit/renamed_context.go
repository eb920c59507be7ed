package renamed

import (
	stdctx "context"
	"fmt"
)

type key struct{}

func subscribe(parent stdctx.Context) {
	msgs := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			select {
			case m := <-msgs:
				fmt.Println(m, parent.Value(key{}))
			}
		}
	}()
}

func spawn(topic string) {
	feed := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			select {
			case m := <-feed:
				fmt.Println(topic, m)
			}
		}
	}()
}

func setup() {
	subscribe(stdctx.Background())
	spawn("news")
}
