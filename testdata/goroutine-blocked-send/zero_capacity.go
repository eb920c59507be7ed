package zerocapacity

// Poll asks for a status and takes it only if it is ready right away.
func Poll(status func() string) (string, bool) {
	ch := make(chan string, 0) // want "`ch` .*can return through `default`"
	go func() { ch <- status() }()
	select {
	case s := <-ch:
		return s, true
	default:
		return "", false
	}
}
