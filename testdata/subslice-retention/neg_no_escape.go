package cases

import (
	"fmt"
	"os"
)

// The subslices never leave the function.
func count(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	head := data[:16]
	fmt.Println(len(head))
	big := make([]int, 1<<20)
	total := 0
	for _, v := range big[:100] {
		total += v
	}
	var local struct{ b []byte }
	local.b = data[:8]
	fmt.Println(local.b)
	return total + sum(big[10:20]), nil
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
