package httpget

import (
	"io"
	"net/http"
)

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url) // want "unclosed-resource response body `resp` from http.Get is never released"
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}
