package httpclient

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

func getJSON(ctx context.Context, url string, out any) error {
	client := &http.Client{Timeout: 5 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req) // want "unclosed-resource response body `resp` from client.Do is never released"
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func headerOf(c *http.Client, url, key string) (string, error) {
	resp, err := c.Get(url) // want "unclosed-resource response body `resp` from c.Get is never released"
	if err != nil {
		return "", err
	}
	return resp.Header.Get(key), nil
}

func defaultClient(url string) (int, error) {
	resp, err := http.DefaultClient.Get(url) // want "unclosed-resource response body `resp` from http.DefaultClient.Get is never released"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}
