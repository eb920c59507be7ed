package notblocked

import (
	"fmt"
	"sync"
	"time"
)

func heartbeat() {
	ticker := time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case t := <-ticker.C:
				fmt.Println("beat", t)
			}
		}
	}()
}

func poll(ch chan int) {
	go func() {
		for {
			select {
			case v := <-ch:
				fmt.Println(v)
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
}

func overSlice(items []string) {
	go func() {
		for _, it := range items {
			fmt.Println(it)
		}
	}()
}

var (
	once   sync.Once
	events = make(chan string)
)

func init() {
	go func() {
		for e := range events {
			fmt.Println(e)
		}
	}()
}

func lazyStart() {
	once.Do(func() {
		go func() {
			for {
				fmt.Println(<-events)
			}
		}()
	})
}

var (
	started  bool
	requests = make(chan string)
)

// ensureServer starts one server for the whole program: anyone can still send on requests.
func ensureServer() {
	if started {
		return
	}
	started = true
	go func() {
		for {
			select {
			case r := <-requests:
				fmt.Println(r)
			}
		}
	}()
}
