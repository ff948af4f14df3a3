package main

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"

	_ "modernc.org/sqlite" // pure Go: no cgo, builds anywhere Go does
)

//go:embed schema.sql
var schema string

// Store is the marketplace's database.
type Store struct {
	db *sql.DB
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
  JOIN users other ON other.id = CASE WHEN buyer.phone = ?1 THEN seller.id ELSE buyer.id END
 WHERE buyer.phone = ?1 OR seller.phone = ?1
 ORDER BY i.created_at DESC, i.id DESC
 LIMIT 1`

// OpenStore opens (or creates) the database at path, creates the schema and
// seeds the demo data.
func OpenStore(ctx context.Context, path string) (*Store, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating the schema in %s: %w", path, err)
	}
	return &Store{db: db, counterpartSQL: counterpartSQL}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// errNoMatch: the phone number has no inquiry, as buyer or seller.
var errNoMatch = errors.New("no inquiry for this number")

// Counterpart returns the listing and the phone number of the other side
// of phone's most recent inquiry. ctx carries the callback's deadline: when
// it passes, SQLite is interrupted and the query returns its error.
func (s *Store) Counterpart(ctx context.Context, phone string) (listing int64, other string, err error) {
	err = s.db.QueryRowContext(ctx, s.counterpartSQL, phone).Scan(&listing, &other)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errNoMatch
	}
	return listing, other, err
}
