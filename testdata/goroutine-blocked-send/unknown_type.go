package unknowntype

// Any reports whether ok accepts the first item that answers; the items come from a call, so
// their type is not written in this function.
func Any(load func() []string, ok func(string) bool) bool {
	items := load()
	found := make(chan bool) // want "`found` .*goroutines started in a loop send, but only one value is received"
	for _, it := range items {
		go func() { found <- ok(it) }()
	}
	return <-found
}
