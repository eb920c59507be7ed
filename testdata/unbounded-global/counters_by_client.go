package cases

import "net/http"

type Hits map[string]int

var hits = make(Hits) // want "package-level map `hits` only grows: it is inserted into in Counter.ServeHTTP and nothing"

type Counter struct{}

func (Counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hits[r.RemoteAddr]++
	w.WriteHeader(http.StatusNoContent)
}
