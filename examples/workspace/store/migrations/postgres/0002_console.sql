-- The provisioning console: token labels, failures with their reasons (a refused
-- request whose token matches no workspace has no workspace), one-time flashes, and
-- the server's own keys.

ALTER TABLE scim_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';

ALTER TABLE provisioning_events ALTER COLUMN workspace_id DROP NOT NULL;
ALTER TABLE provisioning_events ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
CREATE INDEX provisioning_events_resource ON provisioning_events (workspace_id, resource_id, id);
CREATE INDEX provisioning_events_at ON provisioning_events (workspace_id, at);

CREATE TABLE flashes (
	session_hash TEXT PRIMARY KEY,
	sealed       TEXT NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE app_keys (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
