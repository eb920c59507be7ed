package leaky

// FirstTen is the article's leakSlice: the 10-element result keeps the 1,000,000-element array alive.
func FirstTen() []int {
	largeArray := make([]int, 1000000)
	slice := largeArray[:10]
	return slice
}

var seen = make([]int, 0)

// Record appends to a package-level slice that nothing ever shrinks.
func Record(v int) {
	seen = append(seen, v)
}
