package cases

import "os"

func sendHeader(path string, out chan<- []byte) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out <- data[8:24] // want "subslice `data\\[8:24\\]` is sent on a channel"
	return nil
}
