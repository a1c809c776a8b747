1|-- dbsyscheck triggers: run as an administrator (docs/TRIGGERS.md).
0|SET NAMES utf8mb4
1|-- The token, readable only by administrators (the triggers' definer).
0|CREATE DATABASE IF NOT EXISTS `dbsyscheck`
0|CREATE TABLE IF NOT EXISTS `dbsyscheck`.`trigger_token` (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, token BINARY(64) NOT NULL) ENGINE=InnoDB
0|SET @dbsyscheck_log_bin = @@SESSION.sql_log_bin, @dbsyscheck_log_off = @@SESSION.sql_log_off, @dbsyscheck_lqt = @@SESSION.long_query_time, @dbsyscheck_pfs = (SELECT INSTRUMENTED FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())
0|UPDATE performance_schema.threads SET INSTRUMENTED = 'NO' WHERE PROCESSLIST_ID = CONNECTION_ID()
0|SET SESSION sql_log_bin = 0, sql_log_off = 1, long_query_time = 31536000
2|REPLACE INTO `dbsyscheck`.`trigger_token` VALUES (1, '00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef')
0|SET SESSION sql_log_bin = @dbsyscheck_log_bin, sql_log_off = @dbsyscheck_log_off, long_query_time = @dbsyscheck_lqt
0|UPDATE performance_schema.threads SET INSTRUMENTED = @dbsyscheck_pfs WHERE PROCESSLIST_ID = CONNECTION_ID()
1|-- d%60b%27x.t%60a%22ble%20r%C3%A9
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ai`
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_au`
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ad`
0|CREATE TRIGGER `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ai` AFTER INSERT ON `d``b'x`.`t``a"ble rÃ©` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'insert', X'6460622778', X'74606122626c652072c3a9', USER(), 3, 'k`1', NEW.`k``1`, X'6b2732', NEW.`k'2`, X'6b5c33', NEW.`k\3`)
0|CREATE TRIGGER `d``b'x`.`dbsc_t_a_ble_r___afe4e242_au` AFTER UPDATE ON `d``b'x`.`t``a"ble rÃ©` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'update', X'6460622778', X'74606122626c652072c3a9', USER(), 3, 'k`1', NEW.`k``1`, X'6b2732', NEW.`k'2`, X'6b5c33', NEW.`k\3`, 'k`1', NOT (OLD.`k``1` <=> NEW.`k``1`), X'6b2732', NOT (CAST(OLD.`k'2` AS BINARY) <=> CAST(NEW.`k'2` AS BINARY)), 'e', NOT (CAST(OLD.`e` AS BINARY) <=> CAST(NEW.`e` AS BINARY)), X'6b5c33', NOT (OLD.`k\3` <=> NEW.`k\3`), X'736563726574ff', NOT (OLD.`secretÿ` <=> NEW.`secretÿ`))
0|CREATE TRIGGER `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ad` AFTER DELETE ON `d``b'x`.`t``a"ble rÃ©` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'delete', X'6460622778', X'74606122626c652072c3a9', USER(), 3, 'k`1', OLD.`k``1`, X'6b2732', OLD.`k'2`, X'6b5c33', OLD.`k\3`)
1|-- d%60b%27x.t%60a%22ble%20r%C3%A9
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ai`
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_au`
0|DROP TRIGGER IF EXISTS `d``b'x`.`dbsc_t_a_ble_r___afe4e242_ad`
1|-- shop.orders
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ai`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_au`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ad`
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_ai` AFTER INSERT ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'insert', 'shop', 'orders', USER(), 1, 'id', NEW.`id`)
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_au` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'update', 'shop', 'orders', USER(), 1, 'id', NEW.`id`, 'id', NOT (OLD.`id` <=> NEW.`id`), 'total', NOT (OLD.`total` <=> NEW.`total`))
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_ad` AFTER DELETE ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'delete', 'shop', 'orders', USER(), 1, 'id', OLD.`id`)
1|-- shop.orders
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ai`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_au`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ad`
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_ai` AFTER INSERT ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'insert', 'shop', 'orders', USER(), 1, 'id', NEW.`id`)
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_au` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'update', 'shop', 'orders', USER(), 1, 'id', NEW.`id`, 'id', NOT (OLD.`id` <=> NEW.`id`), 'total', NOT (OLD.`total` <=> NEW.`total`))
0|CREATE TRIGGER `shop`.`dbsc_orders_273b481b_ad` AFTER DELETE ON `shop`.`orders` FOR EACH ROW
    SET @dbsyscheck_rc = dbsyscheck_log((SELECT token FROM `dbsyscheck`.`trigger_token` WHERE id = 1), 'delete', 'shop', 'orders', USER(), 1, 'id', OLD.`id`)
1|-- shop.orders
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ai`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_au`
0|DROP TRIGGER IF EXISTS `shop`.`dbsc_orders_273b481b_ad`
