package laterbound

// First makes its channel before the slice it ranges over exists: len(names) cannot size it there.
func First(lookup func() []string, resolve func(string) string) string {
	found := make(chan string) // want "`found` .*goroutines started in a loop send.*\\(no fix: how many values are sent is unknown\\)"
	names := lookup()
	for _, n := range names {
		go func() { found <- resolve(n) }()
	}
	return <-found
}
