package main

var globalSlice = make([]int, 0) // want "unbounded-global package-level slice `globalSlice` only grows: it is appended to in appendToGlobal and nothing in the package deletes from, truncates, resets or bounds it"

func appendToGlobal() {
	for i := 0; i < 100000; i++ {
		globalSlice = append(globalSlice, i) // 持续增长，无法回收
	}
}

func main() {
	appendToGlobal()
}
