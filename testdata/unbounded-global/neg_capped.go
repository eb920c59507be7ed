package cases

const maxEntries = 1000

var (
	entries = map[string]int{}
	recent  []string
	stats   = map[string]int{}
)

func put(k string, v int) {
	if len(entries) >= maxEntries {
		return
	}
	entries[k] = v
}

// A ring of the last 100 values: sliced down as it grows.
func remember(s string) {
	recent = append(recent, s)
	if n := len(recent); n > 100 {
		recent = recent[n-100:]
	}
}

// Constant keys: at most two entries.
func count(hit bool) {
	if hit {
		stats["hits"]++
	} else {
		stats["misses"]++
	}
}
