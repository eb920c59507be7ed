package loopend

import (
	"fmt"
	"os"
)

// A defer in a loop would pile up until the function returns: close at the end of each iteration.
func sizes(paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p) // want "unclosed-resource file `f` from os.Open is never released"
		if err != nil {
			return err
		}
		info, err := f.Stat()
		if err != nil {
			fmt.Println(p, err)
		} else {
			fmt.Println(p, info.Size())
		}
	}
	return nil
}
