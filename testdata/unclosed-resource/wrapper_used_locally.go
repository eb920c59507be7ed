package wrapperlocal

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// The wrappers only live inside the function: the file is leaked, and closing it on return is safe.
func countLines(p string) (int, error) {
	f, err := os.Open(p) // want "unclosed-resource file `f` from os.Open is never released"
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

func firstLine(p string) (string, error) {
	f, err := os.Open(p) // want "unclosed-resource file `f` from os.Open is never released"
	if err != nil {
		return "", err
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	return strings.TrimSpace(line), err
}

func save(p string, v any) error {
	f, err := os.Create(p) // want "unclosed-resource file `f` from os.Create is never released"
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return err
	}
	fmt.Fprintln(w)
	return w.Flush()
}
