package exported

import "fmt"

// Listen starts a listener goroutine: giving it a ctx changes the package's API.
func Listen(name string) {
	updates := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits"
		for {
			select {
			case u := <-updates:
				fmt.Println(name, u)
			}
		}
	}()
}

func listenAll(names []string) {
	for _, n := range names {
		Listen(n)
	}
}
