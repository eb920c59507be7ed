package cases

import "sort"

type Score struct {
	Name  string
	Value int
}

func top10(names []string, value func(string) int) []Score {
	var all []Score
	for _, n := range names {
		all = append(all, Score{n, value(n)})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Value > all[j].Value })
	k := min(10, len(all))
	return all[:k] // want "subslice `all\\[:k\\]` is returned but keeps the whole backing array of `all` \\(a slice grown with append\\)"
}
