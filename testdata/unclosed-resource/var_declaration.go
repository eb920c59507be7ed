package vardecl

import (
	"fmt"
	"os"
)

func show(p string) error {
	var f, err = os.Open(p) // want "unclosed-resource file `f` from os.Open is never released"
	if err != nil {
		return err
	}
	fmt.Println(f.Name())
	return nil
}
