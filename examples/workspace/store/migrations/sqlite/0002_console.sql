-- The provisioning console: token labels, failures with their reasons (a refused
-- request whose token matches no workspace has no workspace), one-time flashes, and
-- the server's own keys. SQLite cannot drop NOT NULL, so the log table is rebuilt.

ALTER TABLE scim_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';

CREATE TABLE provisioning_events_v2 (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	workspace_id  TEXT REFERENCES workspaces (id),
	at            TEXT NOT NULL,
	user_agent    TEXT NOT NULL,
	operation     TEXT NOT NULL,
	resource_type TEXT NOT NULL,
	resource_id   TEXT NOT NULL,
	resource_name TEXT NOT NULL,
	attributes    TEXT NOT NULL,
	status        INTEGER NOT NULL,
	details       TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO provisioning_events_v2 (id, workspace_id, at, user_agent, operation, resource_type, resource_id,
	resource_name, attributes, status)
	SELECT id, workspace_id, at, user_agent, operation, resource_type, resource_id, resource_name, attributes, status
	FROM provisioning_events;
DROP TABLE provisioning_events;
ALTER TABLE provisioning_events_v2 RENAME TO provisioning_events;
CREATE INDEX provisioning_events_workspace ON provisioning_events (workspace_id, id);
CREATE INDEX provisioning_events_resource ON provisioning_events (workspace_id, resource_id, id);
CREATE INDEX provisioning_events_at ON provisioning_events (workspace_id, at);

CREATE TABLE flashes (
	session_hash TEXT PRIMARY KEY,
	sealed       TEXT NOT NULL,
	expires_at   TEXT NOT NULL
);

CREATE TABLE app_keys (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
