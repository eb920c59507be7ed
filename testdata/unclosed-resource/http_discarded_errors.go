package httpdiscarded

import (
	"net/http"
	"net/url"
	"strings"
)

// The errors are discarded, so resp may be nil: the fix must not dereference it unguarded.
func status(u string) int {
	resp, _ := http.Head(u) // want "unclosed-resource response body `resp` from http.Head is never released"
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

func post(u, body string) string {
	resp, _ := http.Post(u, "text/plain", strings.NewReader(body)) // want "unclosed-resource response body `resp` from http.Post is never released"
	if resp == nil {
		return ""
	}
	return resp.Status
}

func submit(u string, form url.Values) bool {
	resp, _ := http.PostForm(u, form) // want "unclosed-resource response body `resp` from http.PostForm is never released"
	return resp != nil && resp.StatusCode == http.StatusOK
}
