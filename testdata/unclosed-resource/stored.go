package stored

import (
	"net"
	"os"
)

type server struct {
	ln net.Listener
}

var (
	logFile *os.File
	pool    = map[string]net.Conn{}
	open    []*os.File
)

func (s *server) start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	return nil
}

func setLog(path string) {
	f, err := os.Create(path)
	if err == nil {
		logFile = f
	}
}

func remember(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	pool[addr] = conn
}

func track(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	open = append(open, f)
}

func wrap(path string) *server {
	ln, _ := net.Listen("tcp", path)
	return &server{ln: ln}
}
