package cases

import "io"

type Conn struct {
	r        io.Reader
	greeting []byte
	sum      int
}

func (c *Conn) handshake() error {
	buf := make([]byte, 32*1024)
	n, err := c.r.Read(buf)
	if err != nil {
		return err
	}
	c.greeting = buf[:n] // want "subslice `buf\\[:n\\]` is stored in field `greeting`"
	for _, b := range buf {
		c.sum += int(b)
	}
	return nil
}
