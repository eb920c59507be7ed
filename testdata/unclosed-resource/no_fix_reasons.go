package nofix

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Each finding without a fix says why.
func errorHandledLater(p string) error {
	f, err := os.Open(p) // want "is never released .* \\(no fix: `err` is not checked by an `if err != nil` right after the call\\)$"
	fmt.Println("opened", p)
	if err != nil {
		return err
	}
	fmt.Println(f.Name())
	return nil
}

func inHeader(p string) {
	if f, err := os.Open(p); err == nil { // want "is never released .* \\(no fix: acquired in an `if`/`switch` header, whose scope ends with the statement\\)$"
		fmt.Println(f.Name())
	}
}

func contextInHeader(parent context.Context) error {
	if ctx, _ := context.WithTimeout(parent, time.Second); ctx.Err() != nil { // want "cancel function is discarded.* \\(no fix: acquired in an `if`/`switch` header, whose scope ends with the statement\\)$"
		return ctx.Err()
	}
	return nil
}

func nestedInLoop(paths []string, verbose bool) {
	for _, p := range paths {
		if verbose {
			f, err := os.Open(p) // want "is never released .* \\(no fix: acquired in a block nested in a loop, where to release it is not obvious\\)$"
			if err != nil {
				continue
			}
			fmt.Println(f.Name())
		}
	}
}
