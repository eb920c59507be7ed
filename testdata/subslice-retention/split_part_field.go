package cases

import (
	"io"
	"strings"
)

type Report struct {
	Title string
}

func (r *Report) parse(src io.Reader) error {
	var sb strings.Builder
	if _, err := io.Copy(&sb, src); err != nil {
		return err
	}
	text := sb.String()
	lines := strings.Split(text, "\n")
	r.Title = lines[0] // want "part `lines\\[0\\]` is stored in field `Title` but keeps all of `text` \\(strings.Builder.String\\) alive; clone it"
	return nil
}
