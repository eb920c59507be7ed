package untilreceived

import (
	"log"
	"time"
)

// Wait logs every tick until the answer arrives; the loop only ends once it has received.
func Wait(answer func() int, every time.Duration) int {
	ch := make(chan int)
	go func() { ch <- answer() }()
	got, v := false, 0
	for !got {
		select {
		case v = <-ch:
			got = true
		case <-time.After(every):
			log.Println("still waiting")
		}
	}
	return v
}
