package structambiguous

import (
	"database/sql"
	"net/http"
	"net/url"
)

type cache struct{ values url.Values }

func (c *cache) Get(key string) string { return c.values.Get(key) }

type remote struct{ client *http.Client }

type local struct{ client *cache }

// Two structs declare `client` with different types: which one `x.client` is cannot be told, so
// nothing is reported.
func lookup(l local, key string) string {
	return l.client.Get(key)
}

type queryer interface {
	Query(query string, args ...any) (*sql.Rows, error)
}

type service struct{ db queryer }

func (s service) ping(r remote, u string) error {
	_ = r
	rows, err := s.db.Query("SELECT 1")
	if err != nil {
		return err
	}
	return rows.Close()
}

func (r remote) fetch(u string) (*http.Response, error) {
	return r.client.Get(u)
}
