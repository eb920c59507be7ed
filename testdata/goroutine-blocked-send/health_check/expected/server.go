package healthcheck

import (
	"context"
	"net/http"
)

// Server answers health checks by probing its backends.
type Server struct {
	backends []string
	client   *http.Client
}

// Healthy probes every backend in parallel and stops at the first failure or when ctx is done.
func (s *Server) Healthy(ctx context.Context) bool {
	backends := s.backends
	results := make(chan bool, len(backends)) // want "`results` .*the select on line 22 can return through `case <-ctx.Done\\(\\)`"
	for _, b := range backends {
		go func() { results <- s.probe(ctx, b) }()
	}
	for range backends {
		select {
		case ok := <-results:
			if !ok {
				return false
			}
		case <-ctx.Done():
			return false
		}
	}
	return true
}
