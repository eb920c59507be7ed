package cases

import "sync"

var (
	sessionsMu sync.Mutex
	sessions   = map[string]string{}
	seen       = map[int]bool{}
)

func login(id, user string) {
	sessionsMu.Lock()
	sessions[id] = user
	sessionsMu.Unlock()
}

func logout(id string) {
	sessionsMu.Lock()
	delete(sessions, id)
	sessionsMu.Unlock()
}

func mark(n int) {
	seen[n] = true
}

func forget() {
	clear(seen)
}
