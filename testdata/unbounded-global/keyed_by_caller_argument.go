package cases

import "net/http"

var visitsByPath = make(map[string]int) // want "package-level map `visitsByPath` only grows: it is inserted into in countVisit"

// One call passes a constant, the other a request's path: unbounded.
func countVisit(path string) {
	visitsByPath[path]++
}

func home() { countVisit("/") }

func serve(w http.ResponseWriter, r *http.Request) {
	countVisit(r.URL.Path)
	w.WriteHeader(http.StatusNoContent)
}
