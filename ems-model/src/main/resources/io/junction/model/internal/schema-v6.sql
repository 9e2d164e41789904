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
-- The last refresh of each EMS on a shared database: a refresh locks its EMS's row for its whole
-- transaction, so a refresh asked on another node meanwhile waits, then finds this one finished
-- after it asked and answers with its counts instead of refreshing again.
CREATE TABLE jn_refresh_run (
  ems_id BIGINT NOT NULL PRIMARY KEY,
  finished_ms BIGINT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  deleted BIGINT NOT NULL,
  unchanged BIGINT NOT NULL,
  skipped BIGINT NOT NULL,
  CONSTRAINT jn_refresh_run_ems_fk FOREIGN KEY (ems_id) REFERENCES jn_ems (id) ON DELETE CASCADE
)
;
