package contextcalls

import (
	"context"
	"net/http"
	"time"
)

func ping(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func count(ctx context.Context) (int, error) { return 0, ctx.Err() }

// Passed to synchronous calls whose results are plain values: cancelling on return is safe.
func pingWithin(parent context.Context, url string) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded: the context's resources leak until its parent is done$"
	return ping(ctx, url)
}

func countWithin(parent context.Context) (int, error) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded: the context's resources leak until its parent is done$"
	n, err := count(ctx)
	if err != nil {
		return 0, err
	}
	return n, nil
}

func statusWithin(parent context.Context, url string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function `cancel` from context.WithTimeout is never released \\(missing cancel\\(\\)\\)$"
	_ = cancel
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
