package made

import (
	"context"
	"fmt"
)

type server struct {
	reqs chan int
}

func (s *server) start() {
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `s.reqs`"
		for {
			select {
			case v := <-s.reqs:
				fmt.Println("handled", v)
			}
		}
	}()
}

// serve makes the server, and so its channel, within the call that has ctx: ctx may stop it.
func serve(ctx context.Context) {
	s := &server{reqs: make(chan int)}
	s.start()
	s.reqs <- 1
}
