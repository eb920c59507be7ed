package quit

import "fmt"

func listen(quit chan struct{}) {
	ch := make(chan int)
	go func() {
		for {
			select {
			case v := <-ch:
				fmt.Println(v)
			case <-quit:
				fmt.Println("bye")
			}
		}
	}()
}
