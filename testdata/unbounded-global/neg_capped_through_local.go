package cases

const maxSignals = 256

var signalNumbers = make(map[string]int)

// The length goes through a local variable before it is compared with the cap.
func signalNumber(name string) int {
	n, ok := signalNumbers[name]
	if !ok {
		n = len(signalNumbers) + 1
		if n > maxSignals {
			return -1
		}
		signalNumbers[name] = n
	}
	return n
}
