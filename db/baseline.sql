-- The dbsyscheck baseline, format 3 (PRAGMA user_version = 3).
-- Changing this file means bumping BASELINE_FORMAT in src/baseline.c,
-- except for a table that older releases never read, which baseline_open
-- adds to an existing file (CREATE TABLE IF NOT EXISTS, see follow).

-- Installation facts: the key check value, the format, the creation time.
CREATE TABLE meta (
	name		TEXT PRIMARY KEY,
	value		BLOB NOT NULL
) WITHOUT ROWID;

-- One row per watched table. schema is the encoded table description
-- (src/schema.c), mac an HMAC-SHA-256 over the entry under the key.
CREATE TABLE tables (
	tid		INTEGER PRIMARY KEY,
	db		BLOB NOT NULL,
	name		BLOB NOT NULL,
	schema		BLOB NOT NULL,
	fingerprint	BLOB NOT NULL,
	nrows		INTEGER NOT NULL,
	state		INTEGER NOT NULL,	-- 0 present, 1 missing
	last_scan	INTEGER NOT NULL,	-- Unix time of the last good scan
	chunk		INTEGER NOT NULL,	-- chunk size, 0 in full mode
	mac		BLOB NOT NULL,
	UNIQUE (db, name)
);

-- The stored rows of a table, packed in key order into blocks of a few
-- kilobytes (docs/DESIGN.md, "Row blocks"): per row its order-preserving
-- encoded key, the keyed row digest and the per-column tags. hi is the
-- greatest key in the block; the blocks of a table never overlap.
CREATE TABLE blocks (
	tid		INTEGER NOT NULL,
	hi		BLOB NOT NULL,
	data		BLOB NOT NULL,
	UNIQUE (tid, hi)
);

-- A few changes to a block, kept apart until the block is rewritten: per
-- row, its key and its new digest and tags, or (digest NULL) its removal.
-- They override the rows of the blocks.
CREATE TABLE deltas (
	tid		INTEGER NOT NULL,
	pk		BLOB NOT NULL,
	digest		BLOB,
	tags		BLOB,
	PRIMARY KEY (tid, pk)
) WITHOUT ROWID;

-- Chunk mode: the key ranges of a table, in key order (n), each ending at
-- the encoded key hi (inclusive; NULL for the last, open-ended chunk),
-- with its row count and the server-side aggregate of per-row SHA-256
-- hashes; mac is an HMAC-SHA-256 over the chunk under the key.
CREATE TABLE chunks (
	tid		INTEGER NOT NULL,
	n		INTEGER NOT NULL,
	hi		BLOB,
	nrows		INTEGER NOT NULL,
	agg		BLOB NOT NULL,
	mac		BLOB NOT NULL,
	PRIMARY KEY (tid, n)
) WITHOUT ROWID;

-- Records written in the transaction that advanced the baseline, removed
-- once written out in full.
CREATE TABLE outbox (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	op		TEXT NOT NULL,
	body		TEXT NOT NULL
);

-- The binary-log follower's position (dbsyscheck follow, issue 15): one
-- row, the file and the offset after the last event group it has taken
-- and the GTID of that group (empty if none), advanced in the transaction
-- that queues the group's records, the server's @@server_id it was read
-- from and the time stamp of the format description event of the file
-- (when the server opened it), which tell the log it was read from from
-- another (RESET MASTER, another server); NULL in a table made before
-- they were stored, whose columns are added on open. Added on open to
-- an older baseline: releases before follow never read it, so the format
-- stays 4.
CREATE TABLE IF NOT EXISTS follow (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	file		BLOB NOT NULL,
	offset		INTEGER NOT NULL,
	gtid		BLOB NOT NULL,
	updated		INTEGER NOT NULL,	-- Unix time it was stored
	server_id	INTEGER,		-- the server's @@server_id
	created		INTEGER			-- its file's FDE time stamp
);

-- The row records of prepared XA transactions (XA PREPARE seen, XA COMMIT
-- or XA ROLLBACK not yet), by xid as binlog.c spells it, kept in the
-- transaction that advances the position: moved to the outbox at XA
-- COMMIT, deleted at XA ROLLBACK and by reset. Added on open as follow.
CREATE TABLE IF NOT EXISTS follow_xa (
	seq		INTEGER PRIMARY KEY AUTOINCREMENT,
	xid		BLOB NOT NULL,
	op		TEXT NOT NULL,
	body		TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS follow_xa_xid ON follow_xa (xid, seq);

-- Reconciliation with the binary log (src/reconcile.c, docs/BINLOG.md):
-- per watched table, the binary-log position of the snapshot of its last
-- good scan (file empty when none is stored: reconciliation off, or a
-- table not on InnoDB), the server's @@server_id and the time stamp of the
-- format description event of that file, mac an HMAC-SHA-256 over them
-- and the table's name under the key; the start of the last interval
-- checked (from_file empty: that scan checked none), when it was stored,
-- the op=untraced records of that interval, and why the last scan did not
-- check (note, empty when it did). Stored in the run's transaction; added
-- on open as follow.
CREATE TABLE IF NOT EXISTS reconcile (
	tid		INTEGER PRIMARY KEY,
	file		BLOB NOT NULL,
	offset		INTEGER NOT NULL,
	server_id	INTEGER NOT NULL,
	created		INTEGER NOT NULL,
	mac		BLOB NOT NULL,
	from_file	BLOB NOT NULL,
	from_offset	INTEGER NOT NULL,
	at		INTEGER NOT NULL,	-- Unix time it was stored
	untraced	INTEGER NOT NULL,
	note		BLOB NOT NULL
);
