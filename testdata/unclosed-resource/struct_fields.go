package structfields

import (
	"context"
	"database/sql"
	"net/http"
)

type store struct {
	db *sql.DB
}

type api struct {
	client http.Client // by value
	base   string
}

type job struct {
	tx   *sql.Tx
	conn *sql.Conn
}

type holder struct{ s *store }

type embedded struct {
	*http.Client
}

// Method calls through struct fields: the field's declared type says what they return.
func (s *store) names() ([]string, error) {
	rows, err := s.db.Query("SELECT name FROM users") // want "unclosed-resource rows `rows` from s.db.Query is never released"
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func (a api) status(path string) (int, error) {
	resp, err := a.client.Get(a.base + path) // want "unclosed-resource response body `resp` from a.client.Get is never released"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func (j *job) count(ctx context.Context) (int, error) {
	rows, err := j.tx.QueryContext(ctx, "SELECT id FROM jobs") // want "unclosed-resource rows `rows` from j.tx.QueryContext is never released"
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func (j *job) any(ctx context.Context) (bool, error) {
	rows, err := j.conn.QueryContext(ctx, "SELECT 1") // want "unclosed-resource rows `rows` from j.conn.QueryContext is never released"
	if err != nil {
		return false, err
	}
	return rows.Next(), nil
}

// The operand of the field may be any expression.
func deep(h holder) error {
	rows, err := h.s.db.Query("SELECT 1") // want "unclosed-resource rows `rows` from h.s.db.Query is never released"
	if err != nil {
		return err
	}
	return rows.Err()
}

func (e embedded) head(url string) (string, error) {
	resp, err := e.Client.Head(url) // want "unclosed-resource response body `resp` from e.Client.Head is never released"
	if err != nil {
		return "", err
	}
	return resp.Status, nil
}

// Closed or returned: nothing to report.
func (s *store) first() (string, error) {
	rows, err := s.db.Query("SELECT name FROM users")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var n string
	if rows.Next() {
		err = rows.Scan(&n)
	}
	return n, err
}

func (s *store) all() (*sql.Rows, error) {
	rows, err := s.db.Query("SELECT name FROM users")
	return rows, err
}
