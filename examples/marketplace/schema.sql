-- The marketplace's own data: people, listings, and who asked about what.
-- One schema for SQLite and PostgreSQL. Phone numbers are from the
-- 555-01xx range reserved for fiction.
CREATE TABLE IF NOT EXISTS users (
	id    INTEGER PRIMARY KEY,
	name  TEXT NOT NULL,
	phone TEXT NOT NULL UNIQUE          -- E.164, as Proxy sends From
);
CREATE TABLE IF NOT EXISTS listings (
	id        INTEGER PRIMARY KEY,
	title     TEXT NOT NULL,
	seller_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE IF NOT EXISTS inquiries (
	id         INTEGER PRIMARY KEY,
	listing_id INTEGER NOT NULL REFERENCES listings(id),
	buyer_id   INTEGER NOT NULL REFERENCES users(id),
	created_at TEXT NOT NULL            -- RFC 3339, UTC
);
CREATE INDEX IF NOT EXISTS inquiries_buyer ON inquiries(buyer_id, created_at);

-- Demo data.
INSERT INTO users (id, name, phone) VALUES
	(1, 'Ana (seller)', '+14155550181'),
	(2, 'Ben (buyer)',  '+14155550101'),
	(3, 'Cleo (buyer)', '+14155550102'),
	(4, 'Dev (seller)', '+14155550182')
	ON CONFLICT DO NOTHING;
INSERT INTO listings (id, title, seller_id) VALUES
	(10, 'Road bike, 54 cm', 1),
	(11, 'Sofa, three seats', 4)
	ON CONFLICT DO NOTHING;
INSERT INTO inquiries (id, listing_id, buyer_id, created_at) VALUES
	(100, 10, 2, '2026-11-01T09:00:00Z'),
	(101, 11, 3, '2026-11-02T09:00:00Z'),
	(102, 11, 2, '2026-11-03T09:00:00Z')
	ON CONFLICT DO NOTHING;
