package generic

import "fmt"

func drain[T any](label string, handle func(T)) {
	in := make(chan T)
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `in`"
		for {
			select {
			case v := <-in:
				handle(v)
			}
		}
	}()
	fmt.Println("draining", label)
}

func run() {
	drain[int]("ints", func(i int) { fmt.Println(i) })
	drain("strings", func(s string) { fmt.Println(s) })
}
