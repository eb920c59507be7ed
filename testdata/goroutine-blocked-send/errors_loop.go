package errorsloop

// CheckAll checks every item concurrently and returns the first error.
func CheckAll(items map[string]int, check func(string, int) error) error {
	errc := make(chan error) // want "`errc` .*the loop receiving on line 11 can stop early"
	for k, v := range items {
		go func() {
			errc <- check(k, v)
		}()
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
