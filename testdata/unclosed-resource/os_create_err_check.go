package oscreate

import "os"

func writeReport(path, text string) error {
	f, err := os.Create(path) // want "unclosed-resource file `f` from os.Create is never released"
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return err
}
