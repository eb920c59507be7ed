package contextescapes

import (
	"context"
	"net/http"
	"time"
)

type server struct{ ctx context.Context }

var background context.Context

// The context outlives the function: cancelling it on return would cut short whoever holds it. These
// leak all the same, so they are reported, without a fix.
func returned(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "unclosed-resource the cancel function is discarded.*\\(no fix: the context is returned: "
	return ctx
}

func storedInField(s *server, parent context.Context) {
	ctx, _ := context.WithCancel(parent) // want "unclosed-resource the cancel function is discarded.*\\(no fix: the context is stored: "
	s.ctx = ctx
}

func storedInGlobal(parent context.Context) {
	ctx, _ := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want "\\(no fix: the context is stored: "
	background = ctx
}

func sent(parent context.Context, out chan<- context.Context) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "\\(no fix: the context is sent on a channel: "
	out <- ctx
}

func watched(parent context.Context, done func()) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "\\(no fix: the context is captured by a closure: "
	go func() {
		<-ctx.Done()
		done()
	}()
}

func worker(ctx context.Context) { <-ctx.Done() }

func handedToGoroutine(parent context.Context) {
	ctx, _ := context.WithCancel(parent) // want "\\(no fix: the context is handed to a goroutine: "
	go worker(ctx)
}

// A request made with the context carries it to the caller.
func request(parent context.Context, url string) (*http.Request, error) {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "\\(no fix: the context is returned: "
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return req, nil
}

// A child context is cancelled with its parent.
func derived(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "\\(no fix: the context is returned: "
	return context.WithValue(ctx, server{}, 1)
}

// A cancel function that is named but never called: same story.
func namedReturned(parent context.Context) context.Context {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want "cancel function `cancel` from context.WithTimeout is never released \\(missing cancel\\(\\)\\) \\(no fix: the context is returned: "
	_ = cancel
	return ctx
}

func namedResult(parent context.Context) (ctx context.Context) {
	ctx, cancel := context.WithCancel(parent) // want "\\(no fix: the context is assigned to a variable that outlives this call: "
	_ = cancel
	return
}

// What a method of the context returns may be cut short too: the channel closes on cancel.
func doneOf(parent context.Context) <-chan struct{} {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "\\(no fix: the context is returned: "
	return ctx.Done()
}
