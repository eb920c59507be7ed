package cases

import "os"

func firstLine(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	text := string(data)
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			return text[:i], nil // want "substring `text\\[:i\\]` is returned but keeps all of `text` \\(string\\(data\\)\\) alive; clone it"
		}
	}
	return text, nil
}
