-- Junction schema, version 6: nodes sharing the database, and the lease of each EMS's background
-- work (periodic refresh, event subscriptions). Times are milliseconds since the epoch by the
-- database's clock, so nodes never compare their own clocks.
CREATE TABLE jn_node (
  name VARCHAR(128) NOT NULL PRIMARY KEY,
  started_ms BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL
)
;
-- One row per EMS once a node took its lease: the owner (null when released), when the lease
-- expires, and the fencing number, one higher at each take-over, that every write of a pipeline
-- checks in its own transaction.
CREATE TABLE jn_ems_lease (
  ems_id BIGINT NOT NULL PRIMARY KEY,
  owner VARCHAR(128),
  expires_ms BIGINT NOT NULL,
  fence BIGINT NOT NULL,
  CONSTRAINT jn_ems_lease_ems_fk FOREIGN KEY (ems_id) REFERENCES jn_ems (id) ON DELETE CASCADE,
  CONSTRAINT jn_ems_lease_fence_ck CHECK (fence >= 1)
)
;
