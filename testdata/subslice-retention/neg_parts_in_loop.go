package cases

import (
	"os"
	"strings"
)

// Every part of the file is kept: together they are the file, so cloning them would only cost.
func index(path string) (map[string]bool, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	text := string(data)
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		seen[line] = true
	}
	var fields []string
	offsets := []int{0, 10, 20, 30}
	for i := 1; i < len(offsets); i++ {
		fields = append(fields, text[offsets[i-1]:offsets[i]])
	}
	return seen, fields, nil
}

// A closure handing out parts of its enclosing function's array does not own the array.
func chooser(n int) func(int) []int {
	var all []int
	for i := range n {
		all = append(all, i)
	}
	return func(k int) []int {
		return all[:k]
	}
}
