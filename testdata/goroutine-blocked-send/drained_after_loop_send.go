package drainedafterloopsend

import (
	"io"
	"time"
)

// Write keeps writing until it fails; on timeout the caller closes w and waits for the error.
func Write(w io.WriteCloser, limit time.Duration) error {
	ch := make(chan error)
	go func() {
		var b [1]byte
		for {
			if _, err := w.Write(b[:]); err != nil {
				ch <- err
				break
			}
		}
	}()
	select {
	case err := <-ch:
		return err
	case <-time.After(limit):
		w.Close()
		return <-ch
	}
}
