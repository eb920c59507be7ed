package sqlopen

import "database/sql"

func schemaVersion(dsn string) (int, error) {
	db, err := sql.Open("postgres", dsn) // want "unclosed-resource database handle `db` from sql.Open is never released"
	if err != nil {
		return 0, err
	}
	var v int
	err = db.QueryRow("SELECT version FROM schema").Scan(&v)
	return v, err
}
