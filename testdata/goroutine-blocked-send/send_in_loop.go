package sendinloop

import (
	"strings"
	"time"
)

// Upper streams the upper-cased lines and stops reading when one takes too long.
func Upper(lines []string, timeout time.Duration) []string {
	out := make(chan string) // want "`out` .*\\(no fix: how many values are sent is unknown\\)"
	go func() {
		for _, l := range lines {
			out <- strings.ToUpper(l)
		}
		close(out)
	}()
	var got []string
	for {
		select {
		case l, ok := <-out:
			if !ok {
				return got
			}
			got = append(got, l)
		case <-time.After(timeout):
			return got
		}
	}
}
