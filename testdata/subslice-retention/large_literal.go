package cases

func identity() []uint16 {
	table := []uint16{2047: 0}
	for i := range table {
		table[i] = uint16(i)
	}
	first := table[0:8] // want "subslice `first` \\(= `table\\[0:8\\]`\\) is returned but keeps the whole backing array of `table` \\(a composite literal of 2048 elements\\)"
	return first
}
