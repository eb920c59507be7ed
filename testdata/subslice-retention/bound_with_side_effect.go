package cases

import "io"

type lexer struct {
	pos int
}

func (l *lexer) next() int {
	l.pos++
	return l.pos
}

func (l *lexer) token(r io.Reader) []byte {
	buf := make([]byte, 8192)
	_, _ = io.ReadFull(r, buf)
	return buf[:l.next()] // want "subslice `buf\\[:l.next\\(\\)\\]` is returned"
}
