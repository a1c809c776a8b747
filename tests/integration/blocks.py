#!/usr/bin/env python3
"""Read and rewrite the row blocks and deltas of a dbsyscheck baseline
(format 3),
written independently of src/baseline.c from docs/DESIGN.md, so that the
tests can tamper with stored rows the way someone with write access to the
file but without the key could.

usage: blocks.py FILE TID list
       blocks.py FILE TID del KEYHEX
       blocks.py FILE TID copy FROMHEX TOHEX     (a new row, FROM's digest)
       blocks.py FILE TID digest KEYHEX DIGESTHEX
       blocks.py FILE TID repack ROWS            (ROWS rows per block)
       blocks.py FILE TID garble                 (damage the first block)
       blocks.py FILE 0 downgrade                (to format 2: a row a row)

Keys and digests are hex; list prints "key digest tags" per row.
"""

import sqlite3
import sys

VERSION = 1
DIGEST_LEN = 32


def getvar(data, pos):
    v, shift = 0, 0
    while True:
        if pos >= len(data) or shift > 28:
            raise ValueError("bad length")
        b = data[pos]
        pos += 1
        v |= (b & 0x7F) << shift
        if not b & 0x80:
            return v, pos
        shift += 7


def putvar(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | (0x80 if v else 0))
        if not v:
            return bytes(out)


def decode(hi, data):
    if not data or data[0] != VERSION:
        raise ValueError("bad block version")
    rows, pos = [], 1
    while pos < len(data):
        klen, pos = getvar(data, pos)
        key = data[pos:pos + klen]
        pos += klen
        digest = data[pos:pos + DIGEST_LEN]
        pos += DIGEST_LEN
        tlen, pos = getvar(data, pos)
        tags = data[pos:pos + tlen]
        pos += tlen
        if len(key) != klen or len(digest) != DIGEST_LEN or \
                len(tags) != tlen:
            raise ValueError("block cut short")
        rows.append((bytes(key), bytes(digest), bytes(tags)))
    if not rows or rows[-1][0] != bytes(hi):
        raise ValueError("block bound is not its last key")
    return rows


def encode(rows):
    out = bytearray([VERSION])
    for key, digest, tags in rows:
        out += putvar(len(key)) + key + digest + putvar(len(tags)) + tags
    return bytes(out)


def load(db, tid):
    """The table's rows: its blocks, with its deltas over them (a delta
    puts a row, or with a NULL digest removes it)."""
    rows = []
    for hi, data in db.execute(
            "SELECT hi, data FROM blocks WHERE tid = ? ORDER BY hi", (tid,)):
        rows += decode(hi, data)
    keys = [r[0] for r in rows]
    if keys != sorted(set(keys)):
        raise ValueError("rows out of order")
    byk = dict((r[0], r) for r in rows)
    for key, digest, tags in db.execute(
            "SELECT pk, digest, tags FROM deltas WHERE tid = ?", (tid,)):
        if digest is None:
            byk.pop(bytes(key), None)
        else:
            byk[bytes(key)] = (bytes(key), bytes(digest), bytes(tags or b""))
    return sorted(byk.values())


def store(db, tid, rows, per=38):
    db.execute("DELETE FROM blocks WHERE tid = ?", (tid,))
    db.execute("DELETE FROM deltas WHERE tid = ?", (tid,))
    rows = sorted(rows)
    for i in range(0, len(rows), per):
        part = rows[i:i + per]
        db.execute("INSERT INTO blocks (tid, hi, data) VALUES (?, ?, ?)",
                   (tid, part[-1][0], encode(part)))


def downgrade(db):
    """Rewrite the file as format 2 wrote it: table rows, no blocks."""
    db.execute("CREATE TABLE rows (tid INTEGER NOT NULL, pk BLOB NOT NULL,"
               " digest BLOB NOT NULL, tags BLOB NOT NULL,"
               " PRIMARY KEY (tid, pk)) WITHOUT ROWID")
    tids = [t for (t,) in db.execute("SELECT DISTINCT tid FROM blocks")]
    for tid in tids:
        db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?)",
                       [(tid,) + r for r in load(db, tid)])
    db.execute("DROP TABLE blocks")
    db.execute("DROP TABLE deltas")
    db.execute("PRAGMA user_version = 2")


def find(rows, key):
    for i, r in enumerate(rows):
        if r[0] == key:
            return i
    sys.exit("blocks.py: no row with key %s" % key.hex())


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    db = sqlite3.connect(argv[1])
    tid, op, args = int(argv[2]), argv[3], argv[4:]
    if op == "downgrade":
        downgrade(db)
        db.commit()
        return
    rows = load(db, tid)
    if not rows:
        sys.exit("blocks.py: table %d has no stored rows" % tid)
    if op == "list":
        for key, digest, tags in rows:
            print(key.hex().upper(), digest.hex().upper(), tags.hex().upper())
        return
    if op == "del":
        del rows[find(rows, bytes.fromhex(args[0]))]
        store(db, tid, rows)
    elif op == "copy":
        src = rows[find(rows, bytes.fromhex(args[0]))]
        rows.append((bytes.fromhex(args[1]), src[1], src[2]))
        store(db, tid, rows)
    elif op == "digest":
        i = find(rows, bytes.fromhex(args[0]))
        rows[i] = (rows[i][0], bytes.fromhex(args[1]), rows[i][2])
        store(db, tid, rows)
    elif op == "repack":
        store(db, tid, rows, int(args[0]))
    elif op == "garble":
        hi = db.execute("SELECT min(hi) FROM blocks WHERE tid = ?",
                        (tid,)).fetchone()[0]
        db.execute("UPDATE blocks SET data = substr(data, 1, length(data) - 3)"
                   " WHERE tid = ? AND hi = ?", (tid, hi))
    else:
        sys.exit(__doc__)
    db.commit()


if __name__ == "__main__":
    main(sys.argv)
