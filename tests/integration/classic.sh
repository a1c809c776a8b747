#!/bin/sh
# The classic trio on one table: insert, update, delete, each seen once;
# changes that cancel out between two scans are not reported.
. "$(dirname "$0")/setup"

db_start
sql "CREATE DATABASE acme"
sql_db acme "CREATE TABLE users (
	id INT PRIMARY KEY AUTO_INCREMENT,
	login VARCHAR(20) NOT NULL,
	password VARCHAR(60) NOT NULL)"
sql_db acme "INSERT INTO users VALUES
	(1, 'alice', '\$2y\$10\$alicealicealicealicealiceOu'),
	(2, 'bob', '\$2y\$10\$bobbobbobbobbobbobbobbobbOu')"
dbsc_conf "acme.users"

# A first scan records the baseline and counts as a change.
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 0)
dbsyscheck: op=baseline table=acme.users rows=2 src=scan ;
EOF

sql "INSERT INTO acme.users VALUES (7, 'xavier', 'x1')"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 1 0 0)
dbsyscheck: op=insert table=acme.users pk=id=7 changed=- src=scan by=- ;
EOF

sql "UPDATE acme.users SET password='x2' WHERE id=7"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 1 0)
dbsyscheck: op=update table=acme.users pk=id=7 changed=password src=scan by=- ;
EOF

sql "DELETE FROM acme.users WHERE id=7"
dbsc scan
expect_rc 1
expect_out <<EOF
$(summary 0 0 1)
dbsyscheck: op=delete table=acme.users pk=id=7 changed=- src=scan by=- ;
EOF

# Nothing changed: nothing printed, exit 0.
dbsc scan
expect_rc 0
expect_empty

# Scan is the default command.
dbsc
expect_rc 0
expect_empty

# A row born and gone between two scans leaves no trace.
sql "INSERT INTO acme.users VALUES (8, 'yvonne', 'y1')"
sql "UPDATE acme.users SET password='y2' WHERE id=8"
sql "DELETE FROM acme.users WHERE id=8"
dbsc scan
expect_rc 0
expect_empty

# An update reverted before the next scan is no change either.
sql "UPDATE acme.users SET login='mallory' WHERE id=1"
sql "UPDATE acme.users SET login='alice' WHERE id=1"
dbsc scan
expect_rc 0
expect_empty
