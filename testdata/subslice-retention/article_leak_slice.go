package main

import "fmt"

func leakSlice() []int {
	largeArray := make([]int, 1000000) // 分配 100 万个元素的数组
	slice := largeArray[:10]           // want "subslice-retention subslice `slice` \\(= `largeArray\\[:10\\]`\\) is returned but keeps the whole backing array of `largeArray` \\(make\\(\\[\\]int, 1000000\\)\\) alive"
	return slice
}

func main() {
	s := leakSlice()
	fmt.Println(len(s)) // 10
}
