package handler

import (
	"fmt"
	"net/http"
)

func watch(r *http.Request) {
	events := make(chan string)
	go func() { // want "goroutine-no-exit goroutine never exits: it loops forever receiving from `events`"
		for {
			e := <-events
			fmt.Println(r.URL.Path, e)
		}
	}()
}

func handle(w http.ResponseWriter, r *http.Request) {
	watch(r)
	fmt.Fprintln(w, "ok")
}

func Register(mux *http.ServeMux) {
	mux.HandleFunc("/watch", handle)
}
