#!/bin/sh
# The binary log decoder (src/binrow.c) renders every column of every type
# exactly as the scanner reads it: for tables of every MariaDB type with
# edge values (negatives, extremes, zero dates, fractional seconds,
# decimals of many precisions, empty strings, binary bytes, NULL), the
# text binrow_text gives for each inserted, updated (before and after) and
# deleted row in a real binary log is byte for byte the text the server
# gives for the same rows (tests/binrow_dump: source_stream, CAST(... AS
# DOUBLE) for FLOAT, col + 0 for ambiguous ENUM and SET, as the scanner
# does). Once with plain row events, once with MariaDB's compressed ones
# and the table maps' optional metadata (binlog_row_metadata FULL).
# Random DOUBLE and FLOAT bit patterns and powers of two check the
# shortest digits and the notation; CHAR in UCS-2, UTF-16, UTF-32 the
# spaces cut. What binrow does not render is refused, never shown wrong:
# UUID (its stored byte order), the old-format TIME, DATETIME, TIMESTAMP.
. "$(dirname "$0")/setup"

dump=$top_builddir/tests/binrow_dump
[ -x "$dump" ] || fail "$dump is not built (make check builds it)"

# The tables: NAME, then the column list (after id).
tables="ti tr td tt ts te tf tc"
# tc: CHAR in the character sets whose space is not the byte 0x20.
cols_tc='a char(4) CHARACTER SET ucs2, b char(4) CHARACTER SET utf32,
	c char(4) CHARACTER SET utf16, d char(4) CHARACTER SET latin1,
	e varchar(4) CHARACTER SET utf32, f char(3) CHARACTER SET utf16le'
rows_tc_a="(1,'ab  ',' a','','x ','y ','a  '),
	(2,NULL,NULL,NULL,NULL,NULL,NULL),
	(3,'a b','    ',X'00E9',X'E920',' b ',X'2000'),
	(4,X'0020',X'00000020',X'00200020','  ',' ',X'4100')"
rows_tc_b="(1,'b','b','b','b','b','b'),
	(2,' ',' ',' ',' ',' ',' '),
	(3,NULL,NULL,NULL,NULL,NULL,NULL),
	(4,'a  b','a  b','a  b','a  b','a  b','a  ')"
# tf: random bit patterns of DOUBLE and FLOAT (the shortest digits and
# where fixed notation turns into exponents), written as the shortest
# decimal that reads back as the same value.
cols_tf='a double, b float'
randvals()
{
	python3 - "$1" <<-'EOF'
	import math, random, struct, sys
	rnd = random.Random(int(sys.argv[1]))
	def dbl():
	    while True:
	        x = struct.unpack('<d', rnd.getrandbits(64).to_bytes(8, 'little'))[0]
	        if x == x and abs(x) != float('inf') and x != 0:
	            return x
	def flt():
	    while True:
	        x = struct.unpack('<f', rnd.getrandbits(32).to_bytes(4, 'little'))[0]
	        if x == x and abs(x) != float('inf') and x != 0:
	            return x
	def near():
	    # around 10^k, where the text switches between notations
	    k = rnd.randint(-20, 20)
	    x = 10.0 ** k * rnd.choice([1, 1.5, 9.999999999999, 1.0000000000001])
	    return -x if rnd.random() < 0.5 else x
	rows = []
	for i in range(1, 601):
	    # powers of two: the shortest digits are not always the
	    # correctly rounded ones there (7.120236347223045e-307)
	    a = dbl() if i % 3 else near()
	    if i % 5 == 0:
	        a = math.ldexp(rnd.choice([1, -1]), rnd.randint(-1074, 1023))
	    b = flt()
	    rows.append('(%d,%r,%r)' % (i, a, b))
	print(','.join(rows))
	EOF
}
cols_ti='a tinyint, b tinyint unsigned, c smallint, d smallint unsigned,
	e mediumint, f mediumint unsigned, g int, h int unsigned, i bigint,
	j bigint unsigned, k int(8) unsigned zerofill, l boolean'
cols_tr='a float, b float(7,3), c double, d double(10,2), e real'
cols_td='a decimal(1,0), b decimal(5,2), c decimal(10,0), d decimal(18,9),
	e decimal(19,10), f decimal(20,0), g decimal(38,30), h decimal(65,30),
	i decimal(65,0), j decimal(38,38), k decimal(9,9), l decimal(10,1)'
cols_tt='a year, b date, c time, d time(1), e time(3), f time(6),
	g datetime, h datetime(2), i datetime(4), j datetime(6),
	k timestamp NULL, l timestamp(3) NULL, m timestamp(6) NULL, n time(2),
	o time(5)'
cols_ts='a char(5), b char(100), c binary(4), d varchar(10),
	e varchar(300), f varbinary(20), g tinytext, h text, i mediumtext,
	j longtext, k tinyblob, l blob, m mediumblob, n longblob, o json,
	p geometry, q point, r char(3) CHARACTER SET latin1,
	s varchar(5) CHARACTER SET latin1'
cols_te="a enum('a','b','c'), b enum('','x'), c enum('a','a','b'),
	d set('x','y','z'), e set('','q'), f bit(1), g bit(12), h bit(64),
	i inet6, j inet4, k enum('it''s','b'), l set('a','b'),
	m bit(9)"

# The rows inserted (A) and the values they are updated to (B): the same
# ids, every row changed.
rows_ti_a="(1,-128,0,-32768,0,-8388608,0,-2147483648,0,
	-9223372036854775808,0,0,0),
	(2,127,255,32767,65535,8388607,16777215,2147483647,4294967295,
	9223372036854775807,18446744073709551615,12345678,1),
	(3,-1,1,-1,1,-1,1,-1,1,-1,1,1,-5),
	(4,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL)"
rows_ti_b="(1,0,1,0,1,0,1,0,1,0,1,0,0),
	(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
	(3,5,6,7,8,9,10,11,12,13,14,99999999,127),
	(4,-128,255,-32768,65535,-8388608,16777215,-2147483648,4294967295,
	-9223372036854775808,18446744073709551615,0,-128)"
rows_tr_a="(1,1.1,1.5,0.1,1.25,1e15),
	(2,-3.4028234e38,-1234.567,-1.7976931348623157e308,-99999999.99,1e16),
	(3,1.17549435e-38,0,5e-324,0,1e-15),
	(4,16777217,9999.999,123456789012345678,0.01,1e-16),
	(5,1e-45,-0.001,2.2250738585072014e-308,-0.01,0.30000000000000004),
	(6,123456.789,1,1234567890123456.7,5,1e-14),
	(7,0,0,0,0,0),
	(8,NULL,NULL,NULL,NULL,NULL),
	(9,3.4028234e38,-9999.999,1e300,1e7,-1.5e-15),
	(10,-0.1,0.5,100,-1,12345678901234567),
	(11,7e-10,0.001,4.9406564584124654e-300,3.14,1e22),
	(12,1e10,2.5,9007199254740993,2.5,123456789012345.67)"
rows_tr_b="(1,2.2,2.5,0.2,2.25,1e14),
	(2,NULL,NULL,NULL,NULL,NULL),
	(3,-1.17549435e-38,1,-5e-324,1,-1e-15),
	(4,-16777217,-9999.999,-123456789012345678,-0.01,-1e-16),
	(5,-1e-45,0.001,-2.2250738585072014e-308,0.01,-0.30000000000000004),
	(6,-123456.789,-1,-1234567890123456.7,-5,-1e-14),
	(7,1,1,1,1,1),
	(8,0.3,0.3,0.3,0.3,0.3),
	(9,-3.4028234e38,9999.999,-1e300,-1e7,1.5e-15),
	(10,0.1,-0.5,-100,1,-12345678901234567),
	(11,-7e-10,-0.001,-4.9406564584124654e-300,-3.14,-1e22),
	(12,-1e10,-2.5,-9007199254740993,-2.5,-123456789012345.67)"
rows_td_a="(1,0,0,0,0,0,0,0,0,0,0,0,0),
	(2,9,999.99,9999999999,999999999.999999999,
	999999999.9999999999,99999999999999999999,
	99999999.999999999999999999999999999999,
	99999999999999999999999999999999999.999999999999999999999999999999,
	99999999999999999999999999999999999999999999999999999999999999999,
	0.99999999999999999999999999999999999999,0.999999999,999999999.9),
	(3,-9,-999.99,-9999999999,-999999999.999999999,
	-999999999.9999999999,-99999999999999999999,
	-99999999.999999999999999999999999999999,
	-99999999999999999999999999999999999.999999999999999999999999999999,
	-99999999999999999999999999999999999999999999999999999999999999999,
	-0.99999999999999999999999999999999999999,-0.999999999,-999999999.9),
	(4,1,0.01,1,0.000000001,0.0000000001,1,
	0.000000000000000000000000000001,
	0.000000000000000000000000000001,1,
	0.00000000000000000000000000000000000001,0.000000001,0.1),
	(5,-1,-0.01,-1,-0.000000001,-0.0000000001,-1,
	-0.000000000000000000000000000001,
	-0.000000000000000000000000000001,-1,
	-0.00000000000000000000000000000000000001,-0.000000001,-0.1),
	(6,5,123.45,1234567890,123456789.123456789,123456789.0123456789,
	12345678901234567890,12345678.123456789012345678901234567890,
	12345678901234567890123456789012345.123456789012345678901234567890,
	12345678901234567890123456789012345678901234567890123456789012345,
	0.12345678901234567890123456789012345678,0.123456789,123456789.5),
	(7,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
	(8,3,-0.5,1000000000,1000000000.5,100000000.0000000001,
	10000000000000000000,10000000.000000000000000000000000000001,
	100000000000.000000001,1000000000000000000000000000000000000,
	0.5,0.000000001,100000000.0)"
rows_td_b="(1,1,1,1,1,1,1,1,1,1,0.1,0.1,1),
	(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
	(3,8,-8.8,-8,-8.8,-8.8,-8,-8.8,-8.8,-8,-0.8,-0.8,-8.8),
	(4,0,0,0,0,0,0,0,0,0,0,0,0),
	(5,2,2.5,25,2.5,2.5,25,2.5,2.5,25,0.25,0.25,2.5),
	(6,-5,-123.45,-1234567890,-123456789.123456789,-123456789.0123456789,
	-12345678901234567890,-12345678.123456789012345678901234567890,
	-12345678901234567890123456789012345.123456789012345678901234567890,
	-12345678901234567890123456789012345678901234567890123456789012345,
	-0.12345678901234567890123456789012345678,-0.123456789,-123456789.5),
	(7,7,7,7,7,7,7,7,7,7,0.7,0.7,7),
	(8,-3,0.5,-1000000000,-1000000000.5,-100000000.0000000001,
	-10000000000000000000,-10000000.000000000000000000000000000001,
	-100000000000.000000001,-1000000000000000000000000000000000000,
	-0.5,-0.000000001,-100000000.0)"
rows_tt_a="(1,0,'0000-00-00','00:00:00','00:00:00','00:00:00','00:00:00',
	'0000-00-00 00:00:00','0000-00-00 00:00:00','0000-00-00 00:00:00',
	'0000-00-00 00:00:00','0000-00-00 00:00:00','0000-00-00 00:00:00',
	'0000-00-00 00:00:00','00:00:00','00:00:00'),
	(2,1901,'1000-01-01','-838:59:59','-838:59:59.9','-838:59:59.999',
	'-838:59:59.999999','1000-01-01 00:00:00','1000-01-01 00:00:00.01',
	'1000-01-01 00:00:00.0001','1000-01-01 00:00:00.000001',
	'1970-01-01 00:00:01','1970-01-01 00:00:01.001',
	'1970-01-01 00:00:01.000001','-838:59:59.99','-838:59:59.99999'),
	(3,2155,'9999-12-31','838:59:59','838:59:59.9','838:59:59.999',
	'838:59:59.999999','9999-12-31 23:59:59','9999-12-31 23:59:59.99',
	'9999-12-31 23:59:59.9999','9999-12-31 23:59:59.999999',
	'2038-01-19 03:14:07','2038-01-19 03:14:07.999',
	'2038-01-19 03:14:07.999999','838:59:59.99','838:59:59.99999'),
	(4,2024,'2024-02-29','-00:00:01','-00:00:00.1','-00:00:00.001',
	'-00:00:00.000001','2024-02-29 12:34:56','2024-02-29 12:34:56.5',
	'2024-02-29 12:34:56.1234','2024-02-29 12:34:56.123456',
	'2024-02-29 12:34:56','2024-02-29 12:34:56.5',
	'2024-02-29 12:34:56.000001','-00:00:00.01','-00:00:00.00001'),
	(5,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,
	NULL,NULL),
	(6,1970,'2000-00-00','-12:34:56','-12:34:56.7','12:34:56.789',
	'-12:34:56.789012','2000-00-00 00:00:00','2000-01-00 10:00:00.5',
	'2000-01-01 00:00:00.5','2000-01-01 00:00:00.5',
	'1999-12-31 23:59:59','1999-12-31 23:59:59.5',
	'1999-12-31 23:59:59.5','-12:34:56.78','-12:34:56.78901'),
	(7,2000,'0000-01-01','-01:00:00.5','01:00:00.5','-01:00:00.5',
	'-01:00:00.5','0000-01-01 00:00:00','0001-01-01 00:00:00.5',
	'0001-01-01 00:00:00.5','0001-01-01 00:00:00.5',
	'1970-01-01 00:00:00.5','1970-01-01 00:00:00.5',
	'1970-01-01 00:00:00.5','-01:00:00.5','-01:00:00.5')"
rows_tt_b="(1,1902,'1001-01-01','00:00:01','00:00:01','00:00:01',
	'00:00:01','0000-00-00 00:00:01','0000-00-00 00:00:01',
	'0000-00-00 00:00:01','0000-00-00 00:00:01','1980-01-01 00:00:00',
	'1980-01-01 00:00:00','1980-01-01 00:00:00','00:00:01','00:00:01'),
	(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,
	NULL,NULL),
	(3,0,'0000-00-00','-00:00:00.5','-00:00:00.5','-00:00:00.5',
	'-00:00:00.5','2106-02-07 06:28:15','2106-02-07 06:28:15.25',
	'2106-02-07 06:28:15.25','2106-02-07 06:28:15.25',
	'0000-00-00 00:00:00','0000-00-00 00:00:00','0000-00-00 00:00:00',
	'-00:00:00.5','-00:00:00.5'),
	(4,1999,'2024-12-31','100:00:00','-100:00:00.1','-100:00:00.01',
	'-100:00:00.000001','2024-12-31 23:59:59','2024-12-31 23:59:59.01',
	'2024-12-31 23:59:59.0001','2024-12-31 23:59:59.000001',
	'2001-09-09 01:46:40','2001-09-09 01:46:40.001',
	'2001-09-09 01:46:40.000001','100:00:00.01','-100:00:00.00001'),
	(5,2001,'2001-01-01','01:02:03','01:02:03.4','01:02:03.456',
	'01:02:03.456789','2001-01-01 01:02:03','2001-01-01 01:02:03.45',
	'2001-01-01 01:02:03.4567','2001-01-01 01:02:03.456789',
	'2001-01-01 01:02:03','2001-01-01 01:02:03.456',
	'2001-01-01 01:02:03.456789','01:02:03.45','01:02:03.45678'),
	(6,NULL,'2000-01-01','12:34:56','12:34:56.7','-12:34:56.789',
	'12:34:56.789012','2000-01-01 00:00:00','2000-01-01 10:00:00.5',
	'2000-01-01 00:00:00.5','2000-01-01 00:00:00.5',
	'1999-12-31 23:59:59','1999-12-31 23:59:59.5',
	'1999-12-31 23:59:59.5','12:34:56.78','12:34:56.78901'),
	(7,2002,'0000-01-02','-01:00:00','01:00:00','-01:00:00',
	'-01:00:00','0000-01-02 00:00:00','0001-01-02 00:00:00.5',
	'0001-01-02 00:00:00.5','0001-01-02 00:00:00.5',
	'1970-01-02 00:00:00.5','1970-01-02 00:00:00.5',
	'1970-01-02 00:00:00.5','-01:00:00','-01:00:00')"
rows_ts_a="(1,'','','','','','','','','','','','','','','{}',
	NULL,NULL,'',''),
	(2,'a  ',' a b ',X'61','a  ',REPEAT('x',300),X'00FF00',
	X'E282AC',X'F09F9880',CONCAT('t',CHAR(9),'n',CHAR(10)),
	REPEAT('L',70000),X'00',X'0001',REPEAT(X'FF',70000),X'00000000',
	'{\"a\": 1}',ST_GeomFromText('POINT(1 2)'),
	ST_GeomFromText('POINT(-1.5 1e300)'),X'E9','caf'),
	(3,'abcde',REPEAT(X'C3A9',100),X'00000000',X'C3A9',
	REPEAT(X'F09F9880',75),X'0000000000',' ',' ','  ','   ',' ',X'20',
	X'2000',X'000020','[1, 2]',
	ST_GeomFromText('LINESTRING(0 0,1 1,2 3)'),
	ST_GeomFromText('POINT(0 0)'),X'20E9',X'E9E9'),
	(4,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,
	NULL,NULL,NULL,NULL,NULL,NULL)"
rows_ts_b="(1,'z','z','z','z','z','z','z','z','z','z','z','z','z','z',
	'\"z\"',ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'),
	ST_GeomFromText('POINT(3 4)'),'z','z'),
	(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,
	NULL,NULL,NULL,NULL,NULL,NULL),
	(3,' ',REPEAT('y ',50),X'FFFFFFFF','y ',REPEAT('y',299),X'FF',
	'y','y','y','y',X'FF',X'FF',X'FF',X'FF','null',
	ST_GeomFromText('MULTIPOINT(1 1,2 2)'),ST_GeomFromText('POINT(5 5)'),
	'y ','y '),
	(4,'   x',REPEAT('w',100),X'0000',REPEAT('w',10),'',X'',
	'','','','','','','','','1',
	ST_GeomFromText('POINT(1 1)'),ST_GeomFromText('POINT(1 1)'),'',
	'')"
rows_te_a="(1,'a','','a','','',b'0',b'0',b'0','::','0.0.0.0','it''s',
	'',b'0'),
	(2,'c','x','b','x,y,z','',b'1',b'111111111111',
	b'1111111111111111111111111111111111111111111111111111111111111111',
	'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff','255.255.255.255','b',
	'a,b',b'111111111'),
	(3,'zzz','zzz',2,'y',1,b'1',b'101010101010',
	b'1000000000000000000000000000000000000000000000000000000000000001',
	'::ffff:1.2.3.4','10.0.0.1',0,'a,b',b'100000000'),
	(4,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
	(5,2,1,3,5,3,b'0',b'100000000000',b'1','::1.2.3.4','1.2.3.4',
	1,1,b'1'),
	(6,'b','','a','z,x','q',b'1',b'1',b'10','1::','127.0.0.1','b','',
	b'10'),
	(7,'a','x','b','x',2,b'0',b'0',b'0','2001:db8::1:0:0:1','0.0.0.1',
	'b','a,b',b'0'),
	(8,'a','x','b','x',2,b'0',b'0',b'0','1:0:0:1:0:0:0:1','1.0.0.0',
	'b','a,b',b'0'),
	(9,'a','x','b','x',2,b'0',b'0',b'0','::1','2.0.0.1','b','a,b',b'0'),
	(10,'a','x','b','x',2,b'0',b'0',b'0','1:2:3:4:5:6:7:8','9.9.9.9',
	'b','a,b',b'0'),
	(11,'a','x','b','x',2,b'0',b'0',b'0','0:0:1::','9.9.9.8','b','a,b',
	b'0'),
	(12,'a','x','b','x',2,b'0',b'0',b'0','::0.1.0.0','9.9.9.7','b','a,b',
	b'0'),
	(13,'a','x','b','x',2,b'0',b'0',b'0','1:0:1:0:1:0:1:0','9.9.9.6',
	'b','a,b',b'0'),
	(14,'a','x','b','x',2,b'0',b'0',b'0','::ffff:0:0','9.9.9.5','b',
	'a,b',b'0'),
	(15,'a','x','b','x',2,b'0',b'0',b'0','::ffff','9.9.9.4','b','a,b',
	b'0'),
	(16,'a','x','b','x',2,b'0',b'0',b'0','fe80::1:0:0:0','9.9.9.3','b',
	'a,b',b'0')"
rows_te_b="(1,'b','x','b','y','q',b'1',b'1',b'1','::2','0.0.0.2','b',
	'a,b',b'1'),
	(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL),
	(3,'a','','a','','',b'0',b'0',b'0','::','0.0.0.0','it''s','',b'0'),
	(4,'c','x',1,'x,y,z',3,b'1',b'111111111111',
	b'1111111111111111111111111111111111111111111111111111111111111111',
	'ffff::','255.255.255.0',2,1,b'111111111'),
	(5,0,0,0,0,0,b'0',b'0',b'0','::2:3:4:5:6:7','1.2.3.5',0,0,b'0'),
	(6,'a','','b','y','',b'0',b'0',b'0','1:2:3:4:5:6::','127.0.0.2',
	'it''s','a,b',b'0'),
	(7,'b','','a','y','q',b'1',b'1',b'1','::ffff:255.255.255.255',
	'8.8.8.8','it''s','',b'1'),
	(8,'b','','a','y','q',b'1',b'1',b'1','1::1','8.8.8.7','it''s','',b'1'),
	(9,'b','','a','y','q',b'1',b'1',b'1','1:2::7:8','8.8.8.6','it''s','',
	b'1'),
	(10,'b','','a','y','q',b'1',b'1',b'1','1::5:6:7:8','8.8.8.5','it''s',
	'',b'1'),
	(11,'b','','a','y','q',b'1',b'1',b'1','1:0:0:2::3','8.8.8.4','it''s',
	'',b'1'),
	(12,'b','','a','y','q',b'1',b'1',b'1','::1:0:0:0:0','8.8.8.3',
	'it''s','',b'1'),
	(13,'b','','a','y','q',b'1',b'1',b'1','0:1::','8.8.8.2','it''s','',
	b'1'),
	(14,'b','','a','y','q',b'1',b'1',b'1','::fffe:1.2.3.4','8.8.8.1',
	'it''s','',b'1'),
	(15,'b','','a','y','q',b'1',b'1',b'1','::1:2','8.8.8.0','it''s','',
	b'1'),
	(16,'b','','a','y','q',b'1',b'1',b'1','::ffff:1:2:3','8.8.7.9',
	'it''s','',b'1')"

rows_tf_a=$(randvals 1)
rows_tf_b=$(randvals 2)

# run TAG [mariadbd args...]: a server logging to $W/TAG/, every table
# written, the log's rows compared with the server's.
run()
{
	tag=$1
	shift
	mkdir -p "$W/$tag"
	db_start --log-bin="$W/$tag/binlog" --binlog-format=ROW --server-id=1 \
	    --binlog-row-image=FULL "$@"
	dbsc_conf
	sql "DROP DATABASE IF EXISTS bt; CREATE DATABASE bt"
	for t in $tables; do
		eval "c=\$cols_$t; a=\$rows_${t}_a; b=\$rows_${t}_b"
		set_list=$(printf '%s\n' "$c" | tr '\n' ' ' | tr ',' '\n' |
		    sed -e 's/^[[:space:]]*//' -e 's/ .*//' |
		    grep -E '^[a-z]$' | sed 's/.*/t.&=u.&/' | paste -sd, -)
		sql_db bt "SET SESSION sql_mode = '', time_zone = '+00:00';
		    CREATE TABLE $t (id int PRIMARY KEY, $c);
		    CREATE TABLE ${t}_u LIKE $t;
		    INSERT INTO $t VALUES $a;
		    INSERT INTO ${t}_u VALUES $b"
		"$dump" table "$W/my.cnf" bt "$t" >"$W/$tag/$t.a" ||
		    fail "$tag: dump of $t failed"
		sql_db bt "SET SESSION sql_mode = '', time_zone = '+00:00';
		    UPDATE $t t JOIN ${t}_u u USING (id) SET $set_list"
		"$dump" table "$W/my.cnf" bt "$t" >"$W/$tag/$t.b" ||
		    fail "$tag: dump of $t failed"
		sql_db bt "DELETE FROM $t"
	done
	sql "FLUSH BINARY LOGS"
	for t in $tables; do
		"$dump" log "$W/my.cnf" bt "$t" \
		    $(sed "s|^\./|$W/$tag/|" "$W/$tag/binlog.index") \
		    >"$W/$tag/$t.log" 2>"$W/$tag/$t.err" ||
		    fail "$tag: the log of $t does not decode: $(cat \
		    "$W/$tag/$t.err")"
		if grep -q 'ERR(' "$W/$tag/$t.log"; then
			grep 'ERR(' "$W/$tag/$t.log" | head -n 5 >&2
			fail "$tag: a value of $t was refused"
		fi
		[ "$(wc -l <"$W/$tag/$t.a")" -gt 2 ] ||
		    fail "$tag: $t has too few rows"
		compare "$t" "insert after" a
		compare "$t" "update before" a
		compare "$t" "update after" b
		compare "$t" "delete before" b
	done
	db_stop
}

# compare TABLE KIND SNAPSHOT: the KIND images of the log are the rows of
# the snapshot, as sets of lines.
compare()
{
	grep "^$2	" "$W/$tag/$1.log" | cut -f 2- | sort >"$W/$tag/got"
	cut -f 2- "$W/$tag/$1.$3" | sort >"$W/$tag/want"
	if ! cmp -s "$W/$tag/got" "$W/$tag/want"; then
		diff "$W/$tag/want" "$W/$tag/got" | head -n 20 >&2
		fail "$tag: $1: $2 images differ from the server's text"
	fi
}

run plain
grep -q '^event	23$' "$W/plain/ti.log" || fail "plain: no v1 write event"
grep -Eq '^event	(166|169)$' "$W/plain/ti.log" &&
    fail "plain: compressed events without compression"

run compressed --log-bin-compress=ON --log-bin-compress-min-len=10 \
    --binlog-row-metadata=FULL
for k in 166 167 168; do
	grep -q "^event	$k$" "$W/compressed/ts.log" ||
	    fail "compressed: no event of type $k"
done

# What binrow cannot render exactly is refused, never shown wrong: a UUID
# column (its stored byte order), and the old-format TIME, DATETIME and
# TIMESTAMP (mysql56_temporal_format OFF: TIME(3) takes 5 bytes, TIME 3,
# and the log's map does not tell them apart).
refused()
{
	mkdir -p "$W/ref"
	db_start --log-bin="$W/ref/binlog" --binlog-format=ROW --server-id=1 \
	    --binlog-row-image=FULL
	sql_db bt "CREATE TABLE tu (id int PRIMARY KEY, u uuid);
	    INSERT INTO tu VALUES (1, '00112233-4455-6677-8899-aabbccddeeff');
	    SET GLOBAL mysql56_temporal_format = OFF;
	    CREATE TABLE tp (id int PRIMARY KEY, a time(3), b datetime);
	    SET GLOBAL mysql56_temporal_format = ON;
	    INSERT INTO tp VALUES (1, '-01:02:03.456', '2024-02-29 12:34:56')"
	sql "FLUSH BINARY LOGS"
	"$dump" log "$W/my.cnf" bt tu \
	    $(sed "s|^\./|$W/ref/|" "$W/ref/binlog.index") >"$W/ref/tu.log" ||
	    fail "uuid: the log does not decode"
	grep -q 'ERR(column u: UUID' "$W/ref/tu.log" ||
	    fail "uuid: a UUID was rendered"
	rc=0
	"$dump" log "$W/my.cnf" bt tp \
	    $(sed "s|^\./|$W/ref/|" "$W/ref/binlog.index") >"$W/ref/tp.log" \
	    2>"$W/ref/tp.err" || rc=$?
	[ "$rc" = 1 ] && grep -q 'old-format TIME' "$W/ref/tp.err" ||
	    fail "old temporal format: not refused (exit $rc)"
	grep -q '^insert' "$W/ref/tp.log" &&
	    fail "old temporal format: a row was rendered"
	db_stop
}
refused
echo "binrow_types: ok"
