package cases

import "bytes"

type T struct{ head []byte }

// Every function below uses the array through another name after its prefix is stored: the fixes are
// unsafe (the stored prefix would no longer see those writes).
func storeThenWriteView(t *T) {
	buf := make([]byte, 8192)
	view := buf
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	copy(view, "ABCD")
}

func storeThenWriteFullSlice(t *T) {
	buf := make([]byte, 8192)
	view := buf[:]
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	view[0] = 'A'
}

func storeThenWritePointer(t *T) {
	buf := make([]byte, 8192)
	p := &buf[0]
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	*p = 'A'
}

func storeThenRead(t *T) int {
	buf := make([]byte, 8192)
	r := bytes.NewReader(buf)
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	b, _ := r.ReadByte()
	return int(b)
}

func storeThenPass(t *T) {
	buf := make([]byte, 8192)
	t.head = buf[:4] // want "subslice `buf\\[:4\\]` is stored in field `head`"
	scribble(buf)
}

func scribble(b []byte) { b[0] = 'A' }
