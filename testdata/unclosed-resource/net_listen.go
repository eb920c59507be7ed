package netlisten

import (
	"fmt"
	"net"
)

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // want "unclosed-resource listener `ln` from net.Listen is never released"
	if err != nil {
		return 0, fmt.Errorf("listen: %w", err)
	}
	return ln.Addr().(*net.TCPAddr).Port, nil
}
