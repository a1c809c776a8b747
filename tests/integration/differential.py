#!/usr/bin/env python3
"""Seeded randomized differential test of dbsyscheck (differential.sh).

For each seed: tables of many column types get random rounds of inserts,
updates, deletes and key changes, drawn from small pools of values that
differ only in their exact stored bytes (a FLOAT below its sixth digit,
a DOUBLE's last bit, a DECIMAL's last scale digit, trailing zero bytes,
trailing spaces, TIME fractions, BIT, SET members in another order) or
not at all. The truth is the server's own view of every row before and
after a round: one exact text per column, computed by the server
(truth_expr), never the client's rendering of a value. After each round
two configurations scan (all tables in full mode; the chunkable ones in
chunk mode) and their records (op, table, pk, changed=) must be exactly
the truth: 0 missed, 0 phantom, 0 wrong changed=.

Environment: DBSC_SOCK, DBSC_BIN (the dbsyscheck binary), DBSC_WRAP
(a command prefix, may be empty), DBSC_WORK (a private directory),
DBSC_SEEDS (comma-separated seeds), DBSC_DIFF_ROUNDS, DBSC_TIMEOUT.
Standard library only.
"""

import os
import random
import struct
import subprocess
import sys

SOCK = os.environ["DBSC_SOCK"]
BIN = os.environ["DBSC_BIN"]
WRAP = os.environ.get("DBSC_WRAP", "").split()
WORK = os.environ["DBSC_WORK"]
TIMEOUT = int(os.environ.get("DBSC_TIMEOUT", "120"))
ROUNDS = int(os.environ.get("DBSC_DIFF_ROUNDS", "20"))
CHUNK = 6
KEYS = 120
DB = "dt"

# Pools of SQL literals per kind of column. Neighbours in a pool often
# store the same bytes (a no-op for the truth) or differ only below what
# the text protocol shows.
P_FLOAT = ["1.2345678", "1.2345679", "1.23456781", "743647.75", "743648",
           "1.17549435e-38", "1.1754948e-38", "0.1", "0.10000001", "0",
           "-0e0", "16777216", "16777217", "16777218", "3.4028234e38",
           "-2.5", "NULL"]
P_DOUBLE = ["0.1e0 + 0.2e0", "0.3e0", "1e0", "1e0 + POW(2, -52)",
            "1e0 - POW(2, -53)", "5e-324", "1e-323", "9007199254740993",
            "9007199254740992", "1.7976931348623157e308", "-0e0", "0",
            "2.5e0", "NULL"]
P_DEC = ["1.5", "1.50000", "1.50001", "1.500001", "1.499999", "-0.00001",
         "0", "-0", "9999999.99999", "NULL"]
P_BIT = ["b'0'", "b'1'", "b'1111111111'", "b'1000000000'",
         "b'0111111111'", "NULL"]
P_ENUM = ["'a'", "'b'", "'c d'", "''", "NULL"]
P_SET = ["''", "'x'", "'x,y'", "'y,x'", "'z,x'", "'x,y,z'", "'z,y,x'",
         "NULL"]
P_DATE = ["'2024-02-29'", "'2024-03-01'", "'1000-01-01'", "'9999-12-31'",
          "NULL"]
P_TIME = ["'00:00:00'", "'00:00:00.000001'", "'-00:00:00.000001'",
          "'838:59:59'", "'12:00:00.5'", "'12:00:00.500001'",
          "'12:00:00.5000001'", "NULL"]
P_DT = ["'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'",
        "'2024-01-01 00:00:00.0000009'", "'2024-10-27 01:30:00.5'",
        "'9999-12-31 23:59:59.999999'", "NULL"]
P_TS = ["'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'",
        "'2024-10-27 01:30:00.5'", "'2024-10-27 01:30:00.500001'",
        "'2038-01-19 03:14:07.999999'", "NULL"]
P_YEAR = ["1901", "2155", "0", "2000", "NULL"]
P_CHAR = ["'a'", "'A'", "'a '", "'a  b'", "'ä'", "''", "'#'", "NULL"]
P_VCHAR = ["'a'", "'a '", "'a  '", "'A'", "'😀'", "''", "'a\\0'",
           "NULL"]
P_LATIN = ["'a'", "'A'", "'é'", "'e'", "'a '", "NULL"]
P_BIN = ["X'61'", "X'6100'", "X'610000'", "X''", "X'00'", "X'FF00'",
         "NULL"]
P_JSON = ["'{\"a\":1}'", "'{\"a\": 1}'", "'[1,2]'", "'[1, 2]'", "NULL"]
P_GEOM = ["POINT(1, 2)", "POINT(1, 2.0000000000000004)", "POINT(0.1, 0.2)",
          "POINT(-0e0, 0)", "NULL"]
P_INET6 = ["'::1'", "'::2'", "'0::1'", "'::ffff:1.2.3.4'", "NULL"]
P_UUID = ["'00000000-0000-0000-0000-000000000001'",
          "'00000000-0000-0000-0000-000000000002'",
          "'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'", "NULL"]
P_TINY = ["-128", "-1", "0", "1", "127", "NULL"]
P_BIGU = ["0", "18446744073709551615", "18446744073709551614", "NULL"]
P_INT = ["-2147483648", "0", "1", "2", "2147483647", "NULL"]

# (name, SQL type, pool, truth kind). Truth kinds: "num" CAST AS CHAR,
# "float" through DOUBLE, "bit" as a number, "bytes" the stored bytes.
ALLTYPES = [
    ("ti", "TINYINT", P_TINY, "num"),
    ("biu", "BIGINT UNSIGNED", P_BIGU, "num"),
    ("i", "INT", P_INT, "num"),
    ("f", "FLOAT", P_FLOAT, "float"),
    ("d", "DOUBLE", P_DOUBLE, "num"),
    ("dc", "DECIMAL(12,5)", P_DEC, "num"),
    ("b", "BIT(10)", P_BIT, "bit"),
    ("e", "ENUM('a','b','c d','')", P_ENUM, "bytes"),
    ("s", "SET('x','y','z')", P_SET, "bytes"),
    ("da", "DATE", P_DATE, "num"),
    ("t6", "TIME(6)", P_TIME, "num"),
    ("dt", "DATETIME(6)", P_DT, "num"),
    ("ts", "TIMESTAMP(6) NULL DEFAULT NULL", P_TS, "num"),
    ("y", "YEAR", P_YEAR, "num"),
    ("c", "CHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
     P_CHAR, "bytes"),
    ("v", "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
     P_VCHAR, "bytes"),
    ("l", "VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_swedish_ci",
     P_LATIN, "bytes"),
    ("u16", "TEXT CHARACTER SET utf16", P_VCHAR, "bytes"),
    ("bn", "BINARY(4)", P_BIN, "bytes"),
    ("vb", "VARBINARY(8)", P_BIN, "bytes"),
    ("bl", "BLOB", P_BIN, "bytes"),
    ("j", "JSON", P_JSON, "bytes"),
    ("g", "POINT", P_GEOM, "bytes"),
    ("i6", "INET6", P_INET6, "num"),
    ("u", "UUID", P_UUID, "num"),
]

# Tables: name, key columns (name, type, pool, kind), value columns,
# extra DDL (generated and invisible columns), table options, chunkable.
TABLES = [
    {
        "name": "a",
        "key": [("id", "INT NOT NULL", None, "num")],
        "cols": ALLTYPES,
        "extra": ["h INT INVISIBLE",
                  "gv DOUBLE AS (f * 2) VIRTUAL",
                  "gs VARCHAR(30) AS (CONCAT(v, '!')) STORED"],
        "extracols": [("h", P_INT, "num"), ("gv", None, "num"),
                      ("gs", None, "bytes")],
        "opts": "",
        "chunk": True,
    },
    {
        "name": "ck",
        "key": [("k1", "VARCHAR(8) CHARACTER SET utf8mb4 COLLATE "
                 "utf8mb4_general_ci NOT NULL",
                 ["'a'", "'A'", "'a '", "'ä'", "'b'", "''", "'#'"], "bytes"),
                ("k2", "DECIMAL(6,2) NOT NULL",
                 ["0", "1.5", "-1.5", "1.25", "9999.99"], "num"),
                ("k3", "TIME(6) NOT NULL",
                 ["'00:00:00'", "'00:00:00.000001'", "'-01:00:00'",
                  "'12:00:00'"], "num")],
        "cols": [("f", "FLOAT", P_FLOAT, "float"),
                 ("d", "DOUBLE", P_DOUBLE, "num"),
                 ("vb", "VARBINARY(8)", P_BIN, "bytes"),
                 ("s", "SET('x','y','z')", P_SET, "bytes")],
        "extra": [], "extracols": [], "opts": "", "chunk": False,
    },
    {
        "name": "cb",
        "key": [("k1", "INT NOT NULL", ["1", "2", "3", "-5", "100"], "num"),
                ("k2", "VARBINARY(4) NOT NULL",
                 ["X''", "X'00'", "X'0000'", "'a'", "X'6100'", "X'FF'"],
                 "bytes"),
                ("k3", "DATETIME(6) NOT NULL",
                 ["'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'",
                  "'1000-01-01 00:00:00'"], "num")],
        "cols": [("f", "FLOAT", P_FLOAT, "float"),
                 ("dc", "DECIMAL(12,5)", P_DEC, "num"),
                 ("t6", "TIME(6)", P_TIME, "num"),
                 ("bl", "BLOB", P_BIN, "bytes"),
                 ("c", "CHAR(8) CHARACTER SET latin1", P_LATIN, "bytes")],
        "extra": [], "extracols": [], "opts": "", "chunk": True,
    },
    {
        "name": "fk",
        "key": [("f", "FLOAT NOT NULL",
                 ["1.5", "0.1", "1.2345678", "1.2345679", "743647.75",
                  "743648", "-2.5"], "float"),
                ("d", "DOUBLE NOT NULL",
                 ["1e0", "1e0 + POW(2, -52)", "0.1e0 + 0.2e0", "0.3e0"],
                 "num")],
        "cols": [("v", "INT", P_INT, "num"),
                 ("g", "DOUBLE", P_DOUBLE, "num")],
        "extra": [], "extracols": [], "opts": "", "chunk": False,
    },
    {
        "name": "sv",
        "key": [("id", "BIGINT NOT NULL", None, "num")],
        "cols": [("f", "FLOAT", P_FLOAT, "float"),
                 ("d", "DOUBLE", P_DOUBLE, "num"),
                 ("b", "BIT(10)", P_BIT, "bit"),
                 ("v", "VARCHAR(20) CHARACTER SET utf8mb4 COLLATE "
                  "utf8mb4_bin", P_VCHAR, "bytes")],
        "extra": [], "extracols": [], "opts": " WITH SYSTEM VERSIONING",
        "chunk": True,
    },
]


class Failure(Exception):
    pass


def sql(stmts, db=DB):
    """Run statements as root; the rows of the output, tab-split."""
    p = subprocess.run(
        ["mariadb", "--no-defaults", "--socket=" + SOCK, "-uroot",
         "--default-character-set=utf8mb4", "--batch",
         "--skip-column-names", "-D", db],
        input=stmts.encode(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        raise Failure("SQL failed: %s\n%s" % (p.stderr.decode(errors="replace"),
                                               stmts[:2000]))
    return [line.split("\t") for line in p.stdout.decode().splitlines()]


def truth_expr(col, kind):
    c = "`%s`" % col
    if kind == "num":
        return "HEX(CAST(%s AS CHAR))" % c
    if kind == "float":
        # The float's exact value as a DOUBLE, whose text (the shortest
        # that reads back the same) is exact.
        return "HEX(CAST(CAST(%s AS DOUBLE) AS CHAR))" % c
    if kind == "bit":
        return "HEX(CAST(%s + 0 AS CHAR))" % c
    return "HEX(%s)" % c


def key_expr(col, kind):
    """The text the scanner prints for a key value, as hex."""
    if kind == "bytes":
        return "HEX(`%s`)" % col
    if kind == "float":
        # Exact, so that two keys are never one. The scanner prints a
        # FLOAT key's exact value too (FORMAT.md); records of FLOAT-keyed
        # tables are matched by that value as a float (pk_match).
        return "HEX(CAST(CAST(`%s` AS DOUBLE) AS CHAR))" % col
    return "HEX(CAST(`%s` AS CHAR))" % col


PCT_KEEP = set(range(0x21, 0x7F)) - set(b"\"%',;=\\`|")


def pct(b):
    return "".join(chr(x) if x in PCT_KEEP else "%%%02X" % x for x in b)


def float_text(text):
    """A FLOAT key value's text as the exact float; unchanged if not one."""
    try:
        return repr(struct.unpack("<f", struct.pack("<f", float(text)))[0])
    except (ValueError, OverflowError):
        return text


def canon_pk(table, pk):
    """pk= with the values of FLOAT key columns as exact floats."""
    t = next((x for x in TABLES if x["name"] == table), None)
    if t is None or not any(k[3] == "float" for k in t["key"]):
        return pk
    out = []
    for part, k in zip(pk.split(","), t["key"]):
        name, _, val = part.partition("=")
        out.append("%s=%s" % (name, float_text(val) if k[3] == "float"
                              else val))
    return ",".join(out)


def columns(t):
    """The hashed columns in ordinal order: (name, pool, kind)."""
    cols = [(k[0], k[2], k[3]) for k in t["key"]]
    cols += [(c[0], c[2], c[3]) for c in t["cols"]]
    cols += list(t["extracols"])
    return cols


def snapshot():
    """{table: {pk text: [exact text of every column]}} from the server."""
    q = ["SET time_zone = '+00:00';"]
    for t in TABLES:
        cols = columns(t)
        pk = ", ".join(key_expr(k[0], k[3]) for k in t["key"])
        vals = ", ".join(
            "IFNULL(%s, 'N')" % truth_expr(c[0], c[2]) for c in cols)
        q.append("SELECT '%s', %s, %s FROM `%s`;" % (t["name"], pk, vals,
                                                    t["name"]))
    snap = {t["name"]: {} for t in TABLES}
    for row in sql("\n".join(q)):
        t = next(x for x in TABLES if x["name"] == row[0])
        nk = len(t["key"])
        pk = canon_pk(t["name"], ",".join(
            "%s=%s" % (k[0], pct(bytes.fromhex(v)))
            for k, v in zip(t["key"], row[1:1 + nk])))
        if pk in snap[t["name"]]:
            raise Failure("two rows with key %s in %s" % (pk, t["name"]))
        snap[t["name"]][pk] = row[1 + nk:]
    return snap


def expected(before, after):
    """The records the truth calls for: {(table, op, pk): changed}."""
    exp = {}
    for t in TABLES:
        name = t["name"]
        b, a = before[name], after[name]
        names = [c[0] for c in columns(t)]
        for pk in b.keys() - a.keys():
            exp[(name, "delete", pk)] = "-"
        for pk in a.keys() - b.keys():
            exp[(name, "insert", pk)] = "-"
        for pk in a.keys() & b.keys():
            ch = [n for n, x, y in zip(names, b[pk], a[pk]) if x != y]
            if ch:
                exp[(name, "update", pk)] = ",".join(ch)
    return exp


def scan(conf, first=False):
    p = subprocess.run(WRAP + [BIN, "-c", conf, "--max-bytes", "0", "scan"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, timeout=TIMEOUT * 10)
    out = p.stdout.decode(errors="replace")
    if p.returncode not in (0, 1, 2) or (p.returncode == 2 and
                                         "op=error table=" not in out):
        raise Failure("scan with %s exited %d:\n%s%s" % (
            conf, p.returncode, out, p.stderr.decode(errors="replace")))
    got = {}
    for line in out.splitlines():
        f = dict(x.split("=", 1) for x in line.split(" ")[1:-1])
        if f["op"] == "summary" or (first and f["op"] == "baseline"):
            continue
        if f["op"] == "error" and "table" in f:
            # A table that fails: every record the truth wants of it in
            # this round is missed (compare() says why).
            got[(f["table"].split(".", 1)[1], "error", "-")] = f["msg"]
            continue
        if f["op"] not in ("insert", "update", "delete"):
            raise Failure("scan with %s: unexpected record %s" % (conf, line))
        table = f["table"].split(".", 1)[1]
        got[(table, f["op"], canon_pk(table, f["pk"]))] = f["changed"]
    return got, p.returncode


def rand_row(rng, t, pk=None):
    cols = [k[0] for k in t["key"]] + [c[0] for c in t["cols"]]
    if pk is None:
        pk = rand_key(rng, t)
    vals = pk + [rng.choice(c[2]) for c in t["cols"]]
    if t["extracols"] and t["extracols"][0][1] is not None:
        cols.append(t["extracols"][0][0])
        vals.append(rng.choice(t["extracols"][0][1]))
    return "INSERT IGNORE INTO `%s` (%s) VALUES (%s);" % (
        t["name"], ", ".join("`%s`" % c for c in cols), ", ".join(vals))


def rand_key(rng, t):
    if t["key"][0][2] is None:
        return [str(rng.randrange(1, KEYS))]
    return [rng.choice(k[2]) for k in t["key"]]


def key_where(t, pk):
    return " AND ".join("`%s` = %s" % (k[0], v)
                        for k, v in zip(t["key"], pk))


def rand_stmt(rng):
    t = rng.choice(TABLES)
    name = t["name"]
    r = rng.randrange(100)
    upd = [c for c in t["cols"]] + [
        (e[0], None, e[1], e[2]) for e in t["extracols"] if e[1]]
    if r < 20:
        return rand_row(rng, t)
    if r < 60:
        # One or a few columns of one row, or of a key range.
        sets = ", ".join("`%s` = %s" % (c[0], rng.choice(c[2]))
                         for c in rng.sample(upd, min(len(upd), rng.choice(
                             [1, 1, 1, 2, 3]))))
        if t["key"][0][2] is None:
            lo = rng.randrange(1, KEYS)
            w = rng.choice([0, 0, 0, 3, 20])
            return "UPDATE `%s` SET %s WHERE id BETWEEN %d AND %d;" % (
                name, sets, lo, lo + w)
        return "UPDATE `%s` SET %s WHERE %s;" % (
            name, sets, key_where(t, rand_key(rng, t)))
    if r < 72:
        if t["key"][0][2] is None:
            lo = rng.randrange(1, KEYS)
            return "DELETE FROM `%s` WHERE id BETWEEN %d AND %d;" % (
                name, lo, lo + rng.choice([0, 0, 2, 10]))
        return "DELETE FROM `%s` WHERE %s;" % (name,
                                              key_where(t, rand_key(rng, t)))
    if r < 85:
        # A key change.
        if t["key"][0][2] is None:
            return "UPDATE IGNORE `%s` SET id = %d WHERE id = %d;" % (
                name, rng.randrange(1, KEYS), rng.randrange(1, KEYS))
        k = rng.randrange(len(t["key"]))
        return "UPDATE IGNORE `%s` SET `%s` = %s WHERE %s;" % (
            name, t["key"][k][0], rng.choice(t["key"][k][2]),
            key_where(t, rand_key(rng, t)))
    # Rewrite a row with the values it has, or all of a column's values
    # with themselves: nothing stored changes.
    c = rng.choice(upd)
    return "UPDATE `%s` SET `%s` = `%s`;" % (name, c[0], c[0])


def create(rng):
    q = ["DROP DATABASE IF EXISTS %s;" % DB,
         "CREATE DATABASE %s CHARACTER SET utf8mb4;" % DB,
         "USE %s;" % DB]
    for t in TABLES:
        defs = ["`%s` %s" % (k[0], k[1]) for k in t["key"]]
        defs += ["`%s` %s" % (c[0], c[1]) for c in t["cols"]]
        defs += t["extra"]
        defs.append("PRIMARY KEY (%s)" % ", ".join(
            "`%s`" % k[0] for k in t["key"]))
        q.append("CREATE TABLE `%s` (%s)%s;" % (t["name"], ", ".join(defs),
                                               t["opts"]))
    sql("\n".join(q), db="mysql")
    ins = ["SET time_zone = '+00:00';"]
    for t in TABLES:
        for _ in range(60):
            ins.append(rand_row(rng, t))
    sql("\n".join(ins))


def write_confs(d):
    sock_cnf = os.path.join(WORK, "my.cnf")
    for mode in ("full", "chunk"):
        lines = ["baseline %s/%s.db" % (d, mode), "key %s/%s.key" % (d, mode),
                 "mysql-defaults-file %s" % sock_cnf, "mysql-group client"]
        for t in TABLES:
            ch = " chunk=%d" % CHUNK if mode == "chunk" and t["chunk"] else ""
            lines.append("table %s.%s%s" % (DB, t["name"], ch))
        path = os.path.join(d, mode + ".conf")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fp:
            fp.write("\n".join(lines) + "\n")


def describe(table, pk, before, after):
    """The exact texts of the columns of one row, before and after."""
    t = next(x for x in TABLES if x["name"] == table)
    out = []
    b = before[table].get(pk)
    a = after[table].get(pk)
    for i, c in enumerate(columns(t)):
        x = b[i] if b else None
        y = a[i] if a else None
        if x != y:
            out.append("      %s: %s -> %s" % (c[0], show(x), show(y)))
    return "\n".join(out)


def show(h):
    if h is None:
        return "(no row)"
    if h == "N":
        return "NULL"
    raw = bytes.fromhex(h)
    try:
        return repr(raw.decode())
    except UnicodeDecodeError:
        return "X'%s'" % h


def compare(seed, rnd, mode, exp, got, before, after, stmts):
    errs = []
    failed = {k[0] for k in got if k[1] == "error"}
    for k in sorted(exp.keys() | got.keys()):
        table, op, pk = k
        if op == "error":
            n = sum(1 for x in exp if x[0] == table)
            errs.append("  error (%s mode) table=%s.%s: %s (%d expected "
                        "records of it missed)" % (mode, DB, table, got[k],
                                                   n))
            continue
        if table in failed:
            continue
        if k not in got:
            kind = "missed"
        elif k not in exp:
            kind = "phantom"
        elif exp[k] != got[k]:
            kind = "wrong changed="
        else:
            continue
        errs.append("  %s (%s mode) %s table=%s.%s pk=%s: expected %s, got %s"
                    "\n%s" % (kind, mode, op, DB, table, pk,
                              "changed=" + exp[k] if k in exp else "nothing",
                              "changed=" + got[k] if k in got else "nothing",
                              describe(table, pk, before, after)))
    return errs


# The oracle itself: pairs of literals that store different bytes, and
# pairs that store the same, for the truth of each column.
ORACLE = [
    ("f", "1.2345678", "1.2345679", False), ("f", "1.2345678", "1.23456781",
                                             True),
    ("f", "16777216", "16777217", True), ("f", "743647.75", "743648", False),
    ("d", "1e0", "1e0 + POW(2, -52)", False), ("d", "5e-324", "1e-323", False),
    ("d", "9007199254740992", "9007199254740993", True),
    ("dc", "1.5", "1.50001", False), ("dc", "1.5", "1.500001", True),
    ("b", "b'0111111111'", "b'1111111111'", False),
    ("s", "'y,x'", "'x,y'", True), ("s", "'x'", "'x,y'", False),
    ("t6", "'12:00:00.5'", "'12:00:00.500001'", False),
    ("dt", "'2024-01-01 00:00:00'", "'2024-01-01 00:00:00.000001'", False),
    ("c", "'a'", "'a '", True), ("c", "'a'", "'A'", False),
    ("v", "'a'", "'a '", False), ("l", "'e'", "'é'", False),
    ("bn", "X'61'", "X'6100'", True), ("vb", "X'61'", "X'6100'", False),
    ("bl", "X''", "NULL", False), ("j", "'[1,2]'", "'[1, 2]'", False),
    ("g", "POINT(1, 2)", "POINT(1, 2.0000000000000004)", False),
    ("i6", "'::1'", "'0::1'", True), ("e", "''", "NULL", False),
]


def oracle_check():
    """Fail when the truth cannot tell apart what it must."""
    q = ["CREATE TEMPORARY TABLE o (id INT PRIMARY KEY, %s);" % ", ".join(
        "`%s` %s" % (c[0], c[1]) for c in ALLTYPES)]
    kinds = {c[0]: c[3] for c in ALLTYPES}
    for n, (col, x, y, _) in enumerate(ORACLE):
        q.append("INSERT INTO o (id, `%s`) VALUES (%d, %s), (%d, %s);" % (
            col, 2 * n, x, 2 * n + 1, y))
    q.append("SELECT %s FROM o ORDER BY id;" % " , ".join(
        "IFNULL(%s, 'N')" % truth_expr(c[0], c[3]) for c in ALLTYPES))
    rows = sql("\n".join(q))
    names = [c[0] for c in ALLTYPES]
    for n, (col, x, y, same) in enumerate(ORACLE):
        i = names.index(col)
        if (rows[2 * n][i] == rows[2 * n + 1][i]) != same:
            raise Failure("the truth of %s (%s) %s %s and %s" % (
                col, kinds[col], "tells apart" if same else
                "does not tell apart", x, y))


def run_seed(seed):
    rng = random.Random(seed)
    d = os.path.join(WORK, "seed-%d" % seed)
    os.mkdir(d, 0o700)
    write_confs(d)
    create(rng)
    oracle_check()
    for mode in ("full", "chunk"):
        scan(os.path.join(d, mode + ".conf"), first=True)
    before = snapshot()
    nchanges = 0
    problems = []
    for mode in ("full", "chunk"):
        got, rc = scan(os.path.join(d, mode + ".conf"))
        errs = compare(seed, 0, mode, {}, got, before, before, [])
        if errs or rc != 0:
            problems.append("seed %d, no change after the first scan, %s "
                            "mode: exit %d\n%s" % (seed, mode, rc,
                                                    "\n".join(errs)))
    for rnd in range(1, ROUNDS + 1):
        stmts = [rand_stmt(rng) for _ in range(rng.randrange(10, 40))]
        sql("SET time_zone = '+00:00';\n" + "\n".join(stmts))
        after = snapshot()
        exp = expected(before, after)
        nchanges += len(exp)
        for mode in ("full", "chunk"):
            got, rc = scan(os.path.join(d, mode + ".conf"))
            errs = compare(seed, rnd, mode, exp, got, before, after, stmts)
            if rc != (1 if exp else 0) and not errs:
                errs.append("  exit %d with %d expected records" %
                            (rc, len(exp)))
            if errs:
                problems.append("seed %d round %d, %s mode: %d discrepancies"
                                "\n%s\n  statements of the round:\n    %s" % (
                                    seed, rnd, mode, len(errs),
                                    "\n".join(errs), "\n    ".join(stmts)))
        before = after
    return nchanges, problems


def main():
    seeds = [int(s) for s in os.environ["DBSC_SEEDS"].split(",")]
    total = 0
    failed = []
    for seed in seeds:
        print("differential: seed %d" % seed, flush=True)
        try:
            n, problems = run_seed(seed)
        except Failure as e:
            n, problems = 0, ["seed %d: %s" % (seed, e)]
        total += n
        print("differential: seed %d: %d expected records over %d rounds, "
              "%d rounds with discrepancies" % (seed, n, ROUNDS,
                                                len(problems)), flush=True)
        for p in problems:
            print(p, file=sys.stderr)
        if problems:
            failed.append(seed)
    print("differential: %d expected records in all" % total)
    if failed:
        print("differential: FAILED with seeds %s; repeat one with "
              "DBSC_SEED=%d make check "
              "TESTS=tests/integration/differential.sh" % (
                  ",".join(map(str, failed)), failed[0]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
