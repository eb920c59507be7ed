package unnamed

import "fmt"

type hub struct{}

func (hub) listen(int, string) {
	ch := make(chan bool)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			<-ch
			fmt.Println("tick")
		}
	}()
}

func grouped(a, b int, names ...string) {
	notes := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			select {
			case n := <-notes:
				fmt.Println(a, b, n, names)
			}
		}
	}()
}

func use() {
	var h hub
	h.listen(1, "x")
	grouped(1, 2)
	grouped(3, 4, "a", "b")
}
