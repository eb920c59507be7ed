package cases

import "fmt"

var connectionsByKind = make(map[string]int)

// Keyed by a parameter, but every call passes a constant: at most two entries.
func connectionName(kind string) string {
	connectionsByKind[kind]++
	return fmt.Sprintf("%s-%d", kind, connectionsByKind[kind])
}

func serverName() string { return connectionName("server") }

func clientName() string { return connectionName("client") }
