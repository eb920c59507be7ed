package cases

func zero(b []byte) int {
	for i := range b {
		b[i] = 0
	}
	return len(b)
}

// zero runs after the part is cut but writes into the array the part shares: copying it changes what
// the caller sees, so the fix is unsafe.
func headThenZero() ([]byte, int) {
	buf := make([]byte, 4096)
	return buf[:10], zero(buf) // want "subslice `buf\\[:10\\]` is returned"
}
