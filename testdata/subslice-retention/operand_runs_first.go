package cases

func fill(b []byte) int {
	for i := range b {
		b[i] = 'a'
	}
	return len(b)
}

// fill writes into buf before the part is cut: a copy hoisted above the return would miss its writes.
func readCount() (int, []byte) {
	buf := make([]byte, 4096)
	return fill(buf), buf[:10] // want "subslice `buf\\[:10\\]` is returned"
}

type result struct {
	N    int
	Head []byte
}

func readResult() result {
	buf := make([]byte, 4096)
	return result{N: fill(buf), Head: buf[:10]} // want "subslice `buf\\[:10\\]` is put in a composite literal that is returned"
}

func readFrom(ch chan int) (int, []byte) {
	buf := make([]byte, 4096)
	return <-ch, buf[:10] // want "subslice `buf\\[:10\\]` is returned"
}
