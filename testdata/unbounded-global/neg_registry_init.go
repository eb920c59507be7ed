package cases

import "sync"

type Driver interface{ Open(name string) error }

var (
	drivers  = map[string]Driver{}
	defaults []string
	formats  []string
	tableMu  sync.Once
	table    = map[string]int{}
	names    []string
	loadOnce sync.Once
)

// Registration: filled when the program starts, one entry per registered driver.
func Register(name string, d Driver) {
	drivers[name] = d
}

func init() {
	defaults = append(defaults, "json", "xml")
	addFormats()
}

// Only called from init.
func addFormats() {
	formats = append(formats, "yaml")
}

func lookup(k string) int {
	tableMu.Do(func() {
		table["a"], table["b"] = 1, 2
	})
	return table[k]
}

func loadNames() {
	names = append(names, "x", "y")
}

func Names() []string {
	loadOnce.Do(loadNames)
	return names
}
