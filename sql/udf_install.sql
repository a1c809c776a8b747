-- dbsyscheck: load the UDFs from dbsyscheck_udf.so in the server's
-- plugin directory (SELECT @@plugin_dir). Needs INSERT on the mysql
-- schema. See docs/TRIGGERS.md. dbsyscheck_chunk makes chunk mode's
-- queries cheaper for the server (docs/PERFORMANCE.md); the scanner uses
-- it when it is there. log_error(), the classic lib_mysqludf_log
-- function, is not created here: udf_install_log_error.sql does that, for
-- sites that still need it (any account can call it).
CREATE FUNCTION dbsyscheck_log RETURNS INTEGER SONAME 'dbsyscheck_udf.so';
CREATE AGGREGATE FUNCTION dbsyscheck_chunk RETURNS INTEGER
    SONAME 'dbsyscheck_udf.so';
