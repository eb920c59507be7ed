package events

// Emit records an event; history keeps every one ever emitted.
func Emit(e Event) {
	history = append(history, e)
}

func emitAll(es []Event) {
	history = append(history, es...)
}

func Last() (Event, bool) {
	if len(history) == 0 {
		return Event{}, false
	}
	return history[len(history)-1], true
}
