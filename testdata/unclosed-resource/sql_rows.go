package sqlrows

import (
	"context"
	"database/sql"
)

func names(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM users") // want "unclosed-resource rows `rows` from db.Query is never released"
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

func count(ctx context.Context, db *sql.DB) (int, error) {
	rows, err := db.QueryContext(ctx, "SELECT id FROM users") // want "unclosed-resource rows `rows` from db.QueryContext is never released"
	if err != nil {
		return 0, err
	}
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
