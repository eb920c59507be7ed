package ticker

import (
	"fmt"
	"time"
)

// Never stopped, but the module says go 1.27: since Go 1.23 an unreferenced ticker is garbage
// collected, stopped or not. tests/test_unclosed_resource.py checks that a go 1.22 module is still
// told to stop it.
func countdown(n int) {
	t := time.NewTicker(10 * time.Millisecond)
	for i := n; i > 0; i-- {
		<-t.C
		fmt.Println(i)
	}
}
