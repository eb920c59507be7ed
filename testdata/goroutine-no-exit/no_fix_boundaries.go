package boundaries

import "fmt"

type starter interface {
	begin()
}

type service struct{ in chan string }

// begin implements starter: its signature cannot change.
func (s *service) begin() {
	go func() { // want "goroutine-no-exit goroutine never exits.*\\(no fix: `begin` is an interface method\\)"
		for {
			msg := <-s.in
			fmt.Println(msg)
		}
	}()
}

// monitor is handed around as a func value: its type is fixed.
func monitor() {
	ticks := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits.*\\(no fix: `monitor` is used as a value\\)"
		for n := range ticks {
			fmt.Println(n)
		}
	}()
}

var hooks = []func(){monitor}

func use(s starter) {
	s.begin()
	for _, h := range hooks {
		h()
	}
}

// spawn already uses the name ctx for something else.
func spawn(ctx string) {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits.*\\(no fix: `spawn` already uses the name ctx\\)"
		for {
			select {
			case v := <-ch:
				fmt.Println(ctx, v)
			}
		}
	}()
}
