package leaky

import (
	"fmt"
	"os"
)

// ReadFile is the article's example: the file is opened and never closed.
func ReadFile() {
	file, _ := os.Open("example.txt")
	fmt.Println("File opened:", file.Name())
}
