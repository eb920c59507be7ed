package cases

import (
	"net"
	"sync"
)

var registry struct { // want "unbounded-global slice `registry.conns` \\(a field of a package-level variable\\) only grows: it is appended to in track"
	sync.Mutex
	conns []net.Conn
}

func track(c net.Conn) {
	registry.Lock()
	defer registry.Unlock()
	registry.conns = append(registry.conns, c)
}

func count() int {
	registry.Lock()
	defer registry.Unlock()
	return len(registry.conns)
}
