package main

import (
	"fmt"
	"time"
)

func leakyGoroutine() {
	ch := make(chan int)
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `ch`"
		for {
			select {
			case data := <-ch:
				fmt.Println("Received:", data)
			}
		}
	}()
}

func main() {
	for i := 0; i < 100; i++ {
		leakyGoroutine() // 启动 Goroutine 但从未关闭
	}
	time.Sleep(10 * time.Second)
}
