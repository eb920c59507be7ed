package alwaysreceives

// Square computes in the background and always waits for the result.
func Square(n int) int {
	ch := make(chan int)
	go func() {
		ch <- n * n
	}()
	v := <-ch
	return v
}
