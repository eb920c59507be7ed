package cases

import (
	"io"
	"os"
)

// Dropping a header or a trailing newline keeps (nearly) the whole array anyway.
func body(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return data[4:], nil
}

func trimmed(r io.Reader) []byte {
	data, _ := io.ReadAll(r)
	if len(data) > 0 && data[len(data)-1] == '\n' {
		return data[:len(data)-1]
	}
	return data[:]
}
