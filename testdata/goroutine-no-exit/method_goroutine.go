package method

import "fmt"

type server struct {
	requests chan string
	served   int
}

func (s *server) loop() {
	for {
		select {
		case r := <-s.requests:
			s.served++
			fmt.Println("serving", r)
		}
	}
}

func (s *server) start() {
	go s.loop() // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `s.requests`"
}

func newServer() *server {
	s := &server{requests: make(chan string)}
	s.start()
	return s
}

// Serve is the package's API: it cannot grow a parameter without breaking its callers.
func Serve() int {
	return newServer().served
}
