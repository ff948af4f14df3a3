package main

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, through database/sql
	_ "modernc.org/sqlite"             // pure Go: no cgo, builds anywhere Go does
)

// migrations are the schema's versions, applied in order on start; the
// first is the whole schema and the demo data.
var migrations = []string{schema}

//go:embed schema.sql
var schema string

// Store is the marketplace's database: PostgreSQL when DATABASE_URL is
// set, else an embedded SQLite file. Both take the same SQL; only the
// placeholders differ ($1 and ?1).
type Store struct {
	db       *sql.DB
	postgres bool
	// counterpartSQL finds, for a phone number, the other side of its most
	// recent inquiry. A field so that a test can make it slow.
	counterpartSQL string
}

// counterpartSQL: a buyer is connected with the seller of the listing they
// asked about last; a seller with the buyer who asked about one of their
// listings last.
const counterpartSQL = `
SELECT l.id, other.phone FROM inquiries i
  JOIN listings l ON l.id = i.listing_id
  JOIN users buyer ON buyer.id = i.buyer_id
  JOIN users seller ON seller.id = l.seller_id
  JOIN users other ON other.id = CASE WHEN buyer.phone = $1 THEN seller.id ELSE buyer.id END
 WHERE buyer.phone = $1 OR seller.phone = $1
 ORDER BY i.created_at DESC, i.id DESC
 LIMIT 1`

// OpenStore opens the database, PostgreSQL at databaseURL when it is set,
// else the SQLite file at path (created when missing), and applies the
// migrations it has not yet.
func OpenStore(ctx context.Context, databaseURL, path string) (*Store, error) {
	s := &Store{counterpartSQL: counterpartSQL, postgres: databaseURL != ""}
	var err error
	if s.postgres {
		s.db, err = sql.Open("pgx", databaseURL)
	} else {
		s.db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrationLock is the PostgreSQL advisory lock that keeps replicas
// starting together from migrating at once.
const migrationLock = 7345301

// migrate applies the migrations not yet applied, each in a transaction,
// recording its version.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connecting to the database: %w", err)
	}
	defer conn.Close()
	if s.postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("locking for the migrations: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("creating schema_migrations: %w", err)
	}
	var applied int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&applied); err != nil {
		return fmt.Errorf("reading schema_migrations: %w", err)
	}
	for v := applied + 1; v <= len(migrations); v++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range strings.Split(migrations[v-1], ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %d: %w", v, err)
			}
		}
		if _, err := tx.ExecContext(ctx, s.bind(`INSERT INTO schema_migrations (version) VALUES ($1)`), v); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", v, err)
		}
	}
	return nil
}

// bind writes a query's $N placeholders as the database takes them.
func (s *Store) bind(query string) string {
	if s.postgres {
		return query
	}
	return strings.ReplaceAll(query, "$", "?")
}

// errNoMatch: the phone number has no inquiry, as buyer or seller.
var errNoMatch = errors.New("no inquiry for this number")

// Counterpart returns the listing and the phone number of the other side
// of phone's most recent inquiry. ctx carries the callback's deadline: when
// it passes, the query is cancelled and returns its error.
func (s *Store) Counterpart(ctx context.Context, phone string) (listing int64, other string, err error) {
	err = s.db.QueryRowContext(ctx, s.bind(s.counterpartSQL), phone).Scan(&listing, &other)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errNoMatch
	}
	return listing, other, err
}
