package boundedretries

import (
	"log"
	"time"
)

// Wait checks three times whether the answer has arrived, then gives up.
func Wait(answer func() int, every time.Duration) (int, bool) {
	ch := make(chan int) // want "`ch` .*the loop on line 12 can run out while the select takes `case <-time.After\\(every\\)`, and nothing receives afterwards"
	go func() { ch <- answer() }()
	for i := 0; i < 3; i++ {
		select {
		case v := <-ch:
			return v, true
		case <-time.After(every):
			log.Println("still waiting")
		}
	}
	return 0, false
}
