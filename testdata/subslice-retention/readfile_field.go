package cases

import "os"

type Image struct {
	path  string
	magic []byte
}

func (img *Image) load() error {
	data, err := os.ReadFile(img.path)
	if err != nil {
		return err
	}
	img.magic = data[:4] // want "subslice `data\\[:4\\]` is stored in field `magic` but keeps the whole backing array of `data` \\(read by os.ReadFile\\)"
	return nil
}
