package cases

import "io"

// Small constant-size arrays, literals and makes: copying would save next to nothing.
func small(r io.Reader) ([]byte, []int, []byte) {
	buf := make([]byte, 512)
	n, _ := r.Read(buf)
	lit := []int{1, 2, 3, 4, 5}
	var arr [64]byte
	m, _ := r.Read(arr[:])
	return buf[:n], lit[:2], arr[:m]
}
