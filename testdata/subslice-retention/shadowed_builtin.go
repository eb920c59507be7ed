package cases

import (
	"os"
	"strings"
)

// A local `copy`, `make`, `len` or `strings` hides what the fix would call: no fix.
func shadowCopy(path string) []byte {
	data, _ := os.ReadFile(path)
	copy := func(dst, src []byte) int { return 0 }
	_ = copy
	return data[:10] // want "subslice `data\\[:10\\]` is returned"
}

func shadowMake(path string) []byte {
	data, _ := os.ReadFile(path)
	make := 3
	_ = make
	return data[:10] // want "subslice `data\\[:10\\]` is returned"
}

func shadowLen() []byte {
	buf := make([]byte, 64<<10)
	len := func([]byte) int { return 1 }
	_ = len
	return buf[60000:] // want "subslice `buf\\[60000:\\]` is returned"
}

func shadowStrings(path string) string {
	data, _ := os.ReadFile(path)
	s := string(data)
	strings := []string{}
	_ = strings
	return s[:10] // want "substring `s\\[:10\\]` is returned"
}

var _ = strings.Clone
