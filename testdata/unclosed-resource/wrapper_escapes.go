package wrapperescapes

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
)

type store struct{ sc *bufio.Scanner }

var lastWriter *bufio.Writer

// A wrapper keeps the file: whoever receives the wrapper reads through the file, so it must stay open.
func reader(p string) (*bufio.Reader, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	return bufio.NewReader(f), nil
}

func scanner(p string) *bufio.Scanner {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1024), 1<<20)
	return sc
}

func writer(p string) (*bufio.Writer, error) {
	w, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return bufio.NewWriter(w), nil
}

func decoder(u string) (*json.Decoder, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	return json.NewDecoder(resp.Body), nil
}

func storedInField(s *store, p string) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	s.sc = bufio.NewScanner(f)
}

func storedInGlobal(p string) {
	f, err := os.Create(p)
	if err != nil {
		return
	}
	lastWriter = bufio.NewWriterSize(f, 4096)
}

func sent(p string, out chan<- *bufio.Reader) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	r := bufio.NewReaderSize(f, 1<<16)
	out <- r
}

func captured(p string, lines chan<- string) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	sc := bufio.NewScanner(f)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
}

func consume(sc *bufio.Scanner) {}

func passedOn(p string) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	consume(bufio.NewScanner(f))
}

// A wrapper of a wrapper, through an alias.
func nested(p string) *json.Decoder {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	r := bufio.NewReader(f)
	return json.NewDecoder(r)
}

// io.LimitReader is no borrower: what it returns reads from the file later.
func limited(p string) (io.Reader, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	return io.LimitReader(f, 512), nil
}

// A consuming call run in a goroutine is still reading when the function returns.
func copyInBackground(p string, dst io.Writer) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	go io.Copy(dst, f)
}
