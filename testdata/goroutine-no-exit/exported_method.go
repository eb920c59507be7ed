package expmethod

import "fmt"

type Server struct {
	reqs chan int
}

func NewServer() *Server {
	return &Server{reqs: make(chan int)}
}

// Start is exported: the fix changes its signature, so it is unsafe.
func (s *Server) Start() {
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `s.reqs`"
		for {
			select {
			case r := <-s.reqs:
				fmt.Println("request", r)
			}
		}
	}()
}

func run() {
	s := NewServer()
	s.Start()
}
