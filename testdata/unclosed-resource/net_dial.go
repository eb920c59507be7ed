package netdial

import (
	"bufio"
	"fmt"
	"net"
)

// ping sends one line and reads one back; fmt.Fprintf and bufio only borrow the connection.
func ping(addr string) (string, error) {
	conn, err := net.Dial("tcp", addr) // want "unclosed-resource connection `conn` from net.Dial is never released"
	if err != nil {
		return "", err
	}
	fmt.Fprintf(conn, "PING\n")
	return bufio.NewReader(conn).ReadString('\n')
}
