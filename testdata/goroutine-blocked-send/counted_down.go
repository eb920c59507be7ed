package counteddown

// Merge receives from every worker and returns only once all of them have reported.
func Merge(workers []func() int) int {
	results := make(chan int)
	for _, w := range workers {
		go func() { results <- w() }()
	}
	active, sum := len(workers), 0
	for {
		if active == 0 {
			return sum
		}
		sum += <-results
		active--
	}
}
