package sentonchannel

import "net"

func accept(ln net.Listener, conns chan<- net.Conn) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		conns <- c
	}
}

func dialAll(addrs []string, conns chan<- net.Conn) {
	for _, a := range addrs {
		conn, err := net.Dial("tcp", a)
		if err != nil {
			continue
		}
		conns <- conn
	}
}
