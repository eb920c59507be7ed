package senderselectsdone

import "context"

// Run's goroutine gives up its send when ctx is done, so it never blocks forever.
func Run(ctx context.Context, work func() error) error {
	errc := make(chan error)
	go func() {
		err := work()
		select {
		case errc <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
