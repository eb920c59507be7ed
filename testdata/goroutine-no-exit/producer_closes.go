package producer

import "fmt"

func produce(n int) {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	for i := 0; i < n; i++ {
		ch <- i
	}
	close(ch)
}

type stream struct{ items chan string }

func (s *stream) consume() {
	for it := range s.items {
		fmt.Println(it)
	}
}

func (s *stream) start() { go s.consume() }

func (s *stream) stop() { close(s.items) }
