package cases

type store struct {
	items []string
	index map[string]int
}

var defaultStore store

func Add(s string) {
	defaultStore.index[s] = len(defaultStore.items)
	defaultStore.items = append(defaultStore.items, s)
}

// reset is a method: it clears the fields of whichever store it is called on, the global included.
func (s *store) reset() {
	s.items = nil
	s.index = map[string]int{}
}

func Reset() {
	defaultStore.reset()
}

var lines []string

// A local of the same name shadows the global: growing it is not growing the global.
func collect(words []string) []string {
	var lines []string
	for _, w := range words {
		lines = append(lines, w)
	}
	return lines
}

func Lines() []string { return lines }
