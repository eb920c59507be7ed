package explicitclose

import (
	"io"
	"os"
)

func copyFile(dst io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
