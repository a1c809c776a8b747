-- A least-privilege MariaDB/MySQL account for the dbsyscheck scanner.
--
-- Edit it (password, host, tables), then run it as an administrator:
--   mariadb < sql/grant.sql
--
-- What the scanner does with this account: it sets its own session
-- variables, runs START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY,
-- then only SELECT statements (on the watched tables, information_schema
-- and mysql.func), and COMMIT. It never writes, locks or creates anything
-- on the server, so SELECT on each watched table is all it needs to scan
-- (reconciling with the binary log needs two more, below).
--
-- information_schema needs no grant of its own: the server shows an
-- account the COLUMNS and STATISTICS rows (column names and types, primary
-- and unique keys) of exactly the tables it holds a privilege on. With
-- SELECT on a table, dbsyscheck can describe it; without, the table is
-- invisible and dbsyscheck reports an error for it.
--
-- What this account does not see: the triggers on the watched tables
-- (information_schema.TRIGGERS shows them only to holders of the TRIGGER
-- privilege, which also allows creating and dropping triggers) and
-- mysql.func. dbsyscheck then cannot report changes to the triggers and
-- functions that watch a table; the row scan is not affected.

-- CHANGE ME: replace the placeholder password below with a long random
-- one (for example: openssl rand -base64 24), and put the same password
-- in the scanner's option file (etc/my.cnf.example). 'localhost' means a
-- connection through the server's Unix socket; for a scanner on another
-- host, name that host instead and use TLS.
CREATE USER 'dbsyscheck'@'localhost'
    IDENTIFIED BY 'CHANGE-ME-dbsyscheck-password';

-- One GRANT per watched table (the "table" lines of dbsyscheck.conf), and
-- nothing else: no global or database-wide privileges. Each table must
-- exist when it is granted.
GRANT SELECT ON acme.users  TO 'dbsyscheck'@'localhost';
GRANT SELECT ON acme.orders TO 'dbsyscheck'@'localhost';

-- When a table is added to dbsyscheck.conf, grant SELECT on it too, then
-- check with: dbsyscheck -t

-- Reading the binary log: dbsyscheck follow (the binary-log follower,
-- MariaDB 10.5 and later) and the scan's reconciliation (reconcile auto,
-- the default, docs/BINLOG.md: each scan checks the changes it finds
-- against the log) read it as a replica or mariadb-binlog does, with the
-- same account: they set only their own session's user variables, then
-- ask for the log from a position. They need two global privileges, and
-- nothing else:
--   REPLICATION SLAVE  to read the binary log (COM_BINLOG_DUMP). It lets
--                      the account read every change the log holds, of
--                      every table, not only the watched ones, and the
--                      text of every statement logged (a CREATE USER's
--                      password as typed among them);
--   BINLOG MONITOR     to find where the log ends (SHOW BINLOG STATUS, and
--                      @@gtid_binlog_pos) on a first run, and the
--                      log's filters (SHOW MASTER STATUS).
-- Grant them where the log is followed or scans are to be reconciled with
-- it: remove the "-- " below. Without them, reconcile auto is off (dbsyscheck
-- status and -t say why) and the scan needs SELECT only. (On MariaDB
-- before 10.5, BINLOG MONITOR is REPLICATION CLIENT.)
-- GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'dbsyscheck'@'localhost';
