-- Junction schema, version 4: which secret key the stored secrets are encrypted with.
-- key_id is derived from the key (an HMAC of a fixed label), so a wrong key file is recognised
-- at start without a secret to try, while the database alone still reveals nothing of the key.
-- One row at most: the database has one key.
CREATE TABLE jn_secret_key (
  id INT NOT NULL PRIMARY KEY,
  key_id VARCHAR(64) NOT NULL,
  recorded TIMESTAMP NOT NULL,
  CONSTRAINT jn_secret_key_one_ck CHECK (id = 1)
)
;
