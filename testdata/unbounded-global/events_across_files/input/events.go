package events

type Event struct {
	Name string
	Data []byte
}

var history []Event // want "package-level slice `history` only grows: it is appended to in Emit, emitAll and nothing"
