package constantgoroutines

// Pair runs two goroutines and receives both values.
func Pair(f func(int) bool) bool {
	c := make(chan bool)
	for g := 0; g < 2; g++ {
		go func() { c <- f(g) }()
	}
	a := <-c
	b := <-c
	return a && b
}
