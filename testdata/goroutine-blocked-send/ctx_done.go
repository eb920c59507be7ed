package ctxdone

import "context"

// Run runs work in the background and gives up when ctx is done.
func Run(ctx context.Context, work func() error) error {
	errc := make(chan error) // want "unbuffered channel `errc` .*can return through `case <-ctx.Done\\(\\)`"
	go func() {
		errc <- work()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
