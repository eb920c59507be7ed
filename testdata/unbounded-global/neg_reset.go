package cases

var globalSlice = make([]int, 0)

func appendToGlobal() {
	for i := 0; i < 100000; i++ {
		globalSlice = append(globalSlice, i)
	}
}

// The article's remedy: clearing the slice lets the GC free it.
func clearGlobalSlice() {
	globalSlice = nil
}

var pending []string

func queue(s string) {
	pending = append(pending, s)
}

func flush() []string {
	out := pending
	pending = pending[:0:0]
	return out
}
