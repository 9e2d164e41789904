-- Junction schema, version 3: a connection may allow HTTP Basic authentication over plain http.
-- Off for every existing connection, as WinRM's own default (AllowUnencrypted=false): the password
-- would cross the network readable, so only the operator's explicit choice turns it on.
ALTER TABLE jn_connection ADD COLUMN allow_basic_over_http BOOLEAN DEFAULT FALSE NOT NULL
;
