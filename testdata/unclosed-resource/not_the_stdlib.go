package notstdlib

import (
	"os"
	"strings"
)

// Look-alike names that are not the resources the rule knows.
type store struct{ data map[string]string }

func (s store) Open(name string) (*strings.Reader, error) {
	return strings.NewReader(s.data[name]), nil
}

type client struct{}

func (client) Get(url string) (string, error) { return url, nil }

func (client) Do(req string) (string, error) { return req, nil }

func read(s store, c client) (int, error) {
	r, err := s.Open("a")
	if err != nil {
		return 0, err
	}
	v, _ := c.Get("x")
	w, _ := c.Do(v)
	return r.Len() + len(w), nil
}

// The parameter `os` shadows the package.
func shadow(os store) int {
	f, _ := os.Open("b")
	return f.Len()
}

// Local variables named `os` shadow the package too.
func shadowLocal() int {
	os := store{}
	r, _ := os.Open("c")
	return r.Len()
}

func shadowRange(stores []store) int {
	n := 0
	for _, os := range stores {
		r, _ := os.Open("d")
		n += r.Len()
	}
	return n
}

func home() string { return os.Getenv("HOME") }
