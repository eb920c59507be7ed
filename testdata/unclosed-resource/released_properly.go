package released

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"time"
)

func body(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func ids(ctx context.Context, db *sql.DB) ([]int, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, "SELECT id FROM t")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func tick(n int) {
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for range n {
		<-t.C
	}
}
