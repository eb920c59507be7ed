package earlyreturn

import "errors"

// Load starts loading in the background, then validates the key: a bad key returns at once.
func Load(key string, load func(string) []byte) ([]byte, error) {
	data := make(chan []byte) // want "unbuffered channel `data` .*the return on line 12 comes before the receive"
	go func() {
		data <- load(key)
	}()
	if key == "" {
		return nil, errors.New("empty key")
	}
	return <-data, nil
}
