package closure

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"
)

func serve(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		defer conn.Close()
		fmt.Fprintln(conn, "hello")
	}()
	return nil
}

func withCleanup(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return func() { f.Close() }, nil
}

func watchdog(parent context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(parent)
	time.AfterFunc(d, func() { cancel() })
	return ctx
}
