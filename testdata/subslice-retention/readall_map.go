package cases

import (
	"io"
	"net/http"
)

var prefixes = map[string][]byte{}

func remember(url string, resp *http.Response) error {
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	n := min(len(body), 512)
	prefixes[url] = body[:n] // want "subslice `body\\[:n\\]` is stored in `prefixes\\[url\\]` but keeps the whole backing array of `body` \\(read by io.ReadAll\\)"
	return nil
}
