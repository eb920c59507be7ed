package receiveall

// Sum starts one goroutine per item and receives every result.
func Sum(items []int, f func(int) int) int {
	results := make(chan int)
	for _, it := range items {
		go func() {
			results <- f(it)
		}()
	}
	total := 0
	for range items {
		total += <-results
	}
	return total
}
