-- dbsyscheck: unload the UDFs. Drop the triggers first
-- (dbsyscheck triggers --uninstall): a trigger calling a dropped
-- function makes every change of its table fail.
DROP FUNCTION IF EXISTS dbsyscheck_log;
DROP FUNCTION IF EXISTS log_error;
DROP FUNCTION IF EXISTS dbsyscheck_chunk;
