package cases

import "encoding/base64"

// A buffer sized for its content: trimming it to what was written keeps (nearly) all of it.
func decode(s string) ([]byte, error) {
	dbuf := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(dbuf, []byte(s))
	return dbuf[:n], err
}

func grow(b []byte, n int) []byte {
	c := len(b) + n
	b2 := append([]byte(nil), make([]byte, c)...)
	i := copy(b2, b)
	return b2[:i]
}
