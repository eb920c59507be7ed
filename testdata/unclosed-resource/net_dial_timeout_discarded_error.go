package netdialtimeout

import (
	"net"
	"time"
)

func reachable(addr string) bool {
	conn, _ := net.DialTimeout("tcp", addr, time.Second) // want "unclosed-resource connection `conn` from net.DialTimeout is never released"
	return conn != nil
}
