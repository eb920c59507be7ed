package ticker

import (
	"fmt"
	"time"
)

func countdown(n int) {
	t := time.NewTicker(10 * time.Millisecond) // want "unclosed-resource ticker `t` from time.NewTicker is never released"
	for i := n; i > 0; i-- {
		<-t.C
		fmt.Println(i)
	}
}
