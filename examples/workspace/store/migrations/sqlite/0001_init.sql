-- SQLite keeps times as fixed-width UTC text (see Dialect), which sorts like the time.

-- The workspace app: workspaces are the tenants; members, teams, desks and bookings
-- are the product's own model. SCIM tokens and the activity log serve provisioning.

CREATE TABLE workspaces (
	id                   TEXT PRIMARY KEY,
	name                 TEXT NOT NULL,
	provisioning_enabled BOOLEAN NOT NULL DEFAULT TRUE,
	created_at           TEXT NOT NULL
);

CREATE TABLE members (
	id               TEXT PRIMARY KEY,
	workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
	user_name        TEXT NOT NULL,
	external_id      TEXT,
	display_name     TEXT,
	name_formatted   TEXT,
	given_name       TEXT,
	family_name      TEXT,
	middle_name      TEXT,
	honorific_prefix TEXT,
	honorific_suffix TEXT,
	title            TEXT,
	active           BOOLEAN NOT NULL,
	employee_number  TEXT,
	cost_center      TEXT,
	organization     TEXT,
	division         TEXT,
	department       TEXT,
	manager_id       TEXT REFERENCES members (id),
	scim_attributes  TEXT NOT NULL DEFAULT '{}',
	version          BIGINT NOT NULL DEFAULT 1,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	deleted_at       TEXT
);
CREATE UNIQUE INDEX members_user_name ON members (workspace_id, lower(user_name)) WHERE deleted_at IS NULL;
CREATE INDEX members_external_id ON members (workspace_id, external_id);
CREATE INDEX members_created ON members (workspace_id, created_at, id);
CREATE INDEX members_manager ON members (manager_id);

CREATE TABLE member_emails (
	member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	value      TEXT NOT NULL,
	type       TEXT,
	display    TEXT,
	is_primary BOOLEAN NOT NULL,
	PRIMARY KEY (member_id, position)
);
CREATE INDEX member_emails_value ON member_emails (lower(value));

CREATE TABLE teams (
	id              TEXT PRIMARY KEY,
	workspace_id    TEXT NOT NULL REFERENCES workspaces (id),
	display_name    TEXT NOT NULL,
	external_id     TEXT,
	scim_attributes TEXT NOT NULL DEFAULT '{}',
	version         BIGINT NOT NULL DEFAULT 1,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_display_name ON teams (workspace_id, lower(display_name));
CREATE INDEX teams_created ON teams (workspace_id, created_at, id);

CREATE TABLE team_members (
	team_id   TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	member_id TEXT NOT NULL REFERENCES members (id),
	added_at  TEXT NOT NULL,
	PRIMARY KEY (team_id, member_id)
);
CREATE INDEX team_members_member ON team_members (member_id);

CREATE TABLE desks (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id),
	name         TEXT NOT NULL,
	kind         TEXT NOT NULL
);
CREATE INDEX desks_workspace ON desks (workspace_id, name);

CREATE TABLE bookings (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id),
	desk_id      TEXT NOT NULL REFERENCES desks (id),
	member_id    TEXT NOT NULL REFERENCES members (id),
	day          TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX bookings_desk_day ON bookings (desk_id, day);
CREATE INDEX bookings_member ON bookings (member_id, day);

CREATE TABLE scim_tokens (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id),
	hash         TEXT NOT NULL UNIQUE,
	hint         TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);
CREATE INDEX scim_tokens_workspace ON scim_tokens (workspace_id, created_at);

CREATE TABLE provisioning_events (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
	at            TEXT NOT NULL,
	user_agent    TEXT NOT NULL,
	operation     TEXT NOT NULL,
	resource_type TEXT NOT NULL,
	resource_id   TEXT NOT NULL,
	resource_name TEXT NOT NULL,
	attributes    TEXT NOT NULL,
	status        INTEGER NOT NULL
);
CREATE INDEX provisioning_events_workspace ON provisioning_events (workspace_id, id);

CREATE TABLE sessions (
	hash         TEXT PRIMARY KEY,
	kind         TEXT NOT NULL,
	workspace_id TEXT,
	member_id    TEXT,
	csrf         TEXT NOT NULL,
	expires_at   TEXT NOT NULL
);
