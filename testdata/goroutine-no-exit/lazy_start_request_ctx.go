package lazy

import (
	"context"
	"fmt"
	"sync"
)

// Server starts its loop on the first request: the loop serves every later request too, so the
// first request's context must not stop it.
type Server struct {
	mu      sync.Mutex
	started bool
	reqs    chan int
}

func (s *Server) start() {
	go func() { // want "goroutine-no-exit goroutine never exits: .*\\(no fix: the goroutine outlives the call that has `ctx`"
		for {
			select {
			case v := <-s.reqs:
				fmt.Println("handled", v)
			}
		}
	}()
}

func (s *Server) Handle(ctx context.Context, v int) {
	s.mu.Lock()
	if !s.started {
		s.started = true
		s.start()
	}
	s.mu.Unlock()
	s.reqs <- v
}

// Inline is the same with the goroutine started right where the request's context is in scope.
func (s *Server) Inline(ctx context.Context, v int) {
	if !s.started {
		s.started = true
		go func() { // want "goroutine-no-exit goroutine never exits: .*\\(no fix: the goroutine outlives the call that has `ctx`"
			for {
				v := <-s.reqs
				fmt.Println("inline", v)
			}
		}()
	}
	s.reqs <- v
}

// consume receives on a channel its caller hands it: the caller's context is no better.
func consume(ctx context.Context, in chan string) {
	go func() { // want "goroutine-no-exit goroutine never exits: .*\\(no fix: the goroutine outlives the call that has `ctx`"
		for {
			select {
			case m := <-in:
				fmt.Println(m)
			}
		}
	}()
}

// perIteration makes a context per iteration but the channel once, before the loop.
func perIteration(parent context.Context, n int) {
	jobs := make(chan int)
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithCancel(parent)
		if i == 0 {
			go func() { // want "goroutine-no-exit goroutine never exits: .*\\(no fix: the goroutine outlives the call that has `ctx`"
				for {
					select {
					case j := <-jobs:
						fmt.Println(j)
					}
				}
			}()
		}
		jobs <- i
		_ = ctx
		cancel()
	}
}

func use(ctx context.Context) {
	consume(ctx, make(chan string))
	perIteration(ctx, 2)
}
