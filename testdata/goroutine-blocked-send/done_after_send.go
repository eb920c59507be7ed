package doneaftersend

import "errors"

// Start runs two steps. The second either reports an error or closes ok instead:
// once ok is closed, its goroutine has no send left pending.
func Start(first, second func() error) error {
	errCh := make(chan error)
	go func() {
		if err := first(); err != nil {
			errCh <- err
		}
	}()
	ok := make(chan struct{})
	go func() {
		if err := second(); err != nil {
			errCh <- err
			return
		}
		close(ok)
	}()
	if err := <-errCh; !errors.Is(err, errFirst) {
		return err
	}
	select {
	case err := <-errCh:
		return err
	case <-ok:
		return nil
	}
}

var errFirst = errors.New("first")
