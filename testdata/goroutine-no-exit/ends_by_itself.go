package ends

import "fmt"

func once() {
	ch := make(chan int, 1)
	go func() {
		v := <-ch
		fmt.Println(v)
	}()
	ch <- 1
}

func untilZero(ch chan int) {
	go func() {
		for {
			v := <-ch
			if v == 0 {
				return
			}
			fmt.Println(v)
		}
	}()
}

func withOK(ch chan int) {
	go func() {
		for {
			v, ok := <-ch
			if !ok {
				break
			}
			fmt.Println(v)
		}
	}()
}

func labeled(ch chan int) {
	go func() {
	loop:
		for {
			select {
			case v := <-ch:
				if v < 0 {
					break loop
				}
			}
		}
		fmt.Println("stopped")
	}()
}

func counted(ch chan int) {
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Println(<-ch)
		}
	}()
}
