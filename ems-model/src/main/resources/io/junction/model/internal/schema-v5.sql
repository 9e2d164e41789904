-- Junction schema, version 5: connections of one role are ordered by priority (1 is tried first, the
-- others are standbys). The priority replaces the default flag: the role's default is the connection
-- at priority 1, so the two can never disagree. Existing connections keep their order: the default
-- first, then the others as they were added.
ALTER TABLE jn_connection ADD COLUMN priority INT DEFAULT 1 NOT NULL
;
UPDATE jn_connection c SET priority = 1 + (SELECT COUNT(*) FROM jn_connection o
  WHERE o.ems_id = c.ems_id AND o.role = c.role
    AND ((o.default_for_role AND NOT c.default_for_role)
      OR (o.default_for_role = c.default_for_role AND o.id < c.id)))
;
ALTER TABLE jn_connection DROP COLUMN default_for_role
;
ALTER TABLE jn_connection ADD CONSTRAINT jn_connection_priority_ck CHECK (priority >= 1)
;
