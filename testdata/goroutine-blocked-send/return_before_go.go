package returnbeforego

import "errors"

// Load validates before it starts the goroutine, then always receives.
func Load(key string, load func(string) []byte) ([]byte, error) {
	if key == "" {
		return nil, errors.New("empty key")
	}
	data := make(chan []byte)
	go func() {
		data <- load(key)
	}()
	return <-data, nil
}
