package cases

import (
	"io"
	"net/http"
	"sync"
)

var (
	mu    sync.Mutex
	cache = map[string][]byte{} // want "unbounded-global package-level map `cache` only grows: it is inserted into in fetch and nothing in the package deletes from, truncates, resets or bounds it; cap its size, reset it periodically, or evict old entries"
)

func fetch(url string) ([]byte, error) {
	mu.Lock()
	body, ok := cache[url]
	mu.Unlock()
	if ok {
		return body, nil
	}
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	cache[url] = body
	mu.Unlock()
	return body, nil
}
