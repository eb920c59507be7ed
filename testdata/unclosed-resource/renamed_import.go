package renamed

import (
	stdos "os"
)

func firstByte(path string) (byte, error) {
	f, err := stdos.Open(path) // want "unclosed-resource file `f` from stdos.Open is never released"
	if err != nil {
		return 0, err
	}
	buf := make([]byte, 1)
	_, err = f.Read(buf)
	return buf[0], err
}
