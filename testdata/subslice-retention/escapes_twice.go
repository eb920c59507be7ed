package cases

type T struct{ head []byte }

// Both fields share the array: copying either one would make them stop sharing, so both fixes are
// unsafe, and applied together they declare different names.
func storeTwice(t *T, other *T) {
	buf := make([]byte, 8192)
	t.head = buf[:4]     // want "subslice `buf\\[:4\\]` is stored in field `head`"
	other.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
}

// A near-full part is not worth a finding, but it still shares the array with the small one.
func storeWithTail(t *T, other *T) {
	buf := make([]byte, 8192)
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	other.head = buf[:len(buf)-1]
}

// Two returns on different paths: a call returns only one part, so the fixes stay safe.
func eitherHalf(first bool) []byte {
	buf := make([]byte, 8192)
	if first {
		return buf[:4] // want "subslice `buf\\[:4\\]` is returned"
	}
	return buf[4:8] // want "subslice `buf\\[4:8\\]` is returned"
}
