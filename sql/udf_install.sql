-- dbsyscheck: load the UDFs from dbsyscheck_udf.so in the server's
-- plugin directory (SELECT @@plugin_dir). Needs INSERT on the mysql
-- schema. See docs/TRIGGERS.md. Drop the log_error line for a library
-- built with --disable-log-error. dbsyscheck_chunk makes chunk mode's
-- queries cheaper for the server (docs/PERFORMANCE.md); the scanner uses
-- it when it is there.
CREATE FUNCTION dbsyscheck_log RETURNS INTEGER SONAME 'dbsyscheck_udf.so';
CREATE FUNCTION log_error RETURNS STRING SONAME 'dbsyscheck_udf.so';
CREATE AGGREGATE FUNCTION dbsyscheck_chunk RETURNS INTEGER
    SONAME 'dbsyscheck_udf.so';
