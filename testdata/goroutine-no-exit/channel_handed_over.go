package handed

import "fmt"

// The caller owns the channel and may close it: ranging over it ends then.
func printAll(in <-chan string) {
	go func() {
		for s := range in {
			fmt.Println(s)
		}
	}()
}

// The channel is returned: the caller can close it.
func sink() chan<- int {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	return ch
}

func register(ch chan int, reg func(chan int)) {
	out := make(chan int)
	reg(out)
	go func() {
		for v := range out {
			ch <- v
		}
	}()
}
