package cases

import "os"

// The package declares its own `copy`: the fix would call it instead of the builtin, so there is none.
func head(path string) []byte {
	data, _ := os.ReadFile(path)
	return data[:10] // want "subslice `data\\[:10\\]` is returned"
}
