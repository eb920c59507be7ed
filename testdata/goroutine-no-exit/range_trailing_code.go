package trailing

import (
	"fmt"
	"sync"
)

func collect(wg *sync.WaitGroup) {
	results := make(chan int)
	wg.Add(1)
	go func() { // want "goroutine-no-exit goroutine never exits: it ranges over `results`"
		total := 0
		for r := range results {
			total += r
		}
		fmt.Println("total", total)
		wg.Done()
	}()
}
