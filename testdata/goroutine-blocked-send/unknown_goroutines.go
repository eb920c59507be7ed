package unknowngoroutines

import (
	"bufio"
	"io"
)

// Lookup resolves every name read from r and returns the first answer.
func Lookup(r io.Reader, resolve func(string) string) string {
	sc := bufio.NewScanner(r)
	found := make(chan string) // want "`found` .*goroutines started in a loop send, but only one value is received\\) \\(no fix: how many values are sent is unknown\\)"
	for sc.Scan() {
		go func(name string) { found <- resolve(name) }(sc.Text())
	}
	return <-found
}
