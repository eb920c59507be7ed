package assignedoutside

import (
	"net"
	"os"
)

var current *os.File

// The file is stored in a package variable: whoever reads `current` may close it later.
func rotate(path string) error {
	var err error
	current, err = os.Create(path)
	return err
}

// A named result reaches the caller even through a bare return.
func openConfig(path string) (f *os.File, err error) {
	f, err = os.Open(path)
	if err != nil {
		return
	}
	return
}

// The closure assigns a variable of its enclosing function, which keeps using (and closes) it.
func withConn(addr string) error {
	var conn net.Conn
	dial := func() error {
		var err error
		conn, err = net.Dial("tcp", addr)
		return err
	}
	if err := dial(); err != nil {
		return err
	}
	return conn.Close()
}
