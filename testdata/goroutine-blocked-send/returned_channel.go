package returnedchannel

// Generate hands its channel to the caller, who decides when to receive.
func Generate(n int) <-chan int {
	ch := make(chan int)
	go func() {
		ch <- n
	}()
	return ch
}
