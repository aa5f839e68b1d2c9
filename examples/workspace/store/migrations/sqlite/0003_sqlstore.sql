-- SCIM provisioning moves to package sqlstore, mapped onto these tables. What it
-- needs: a workspace column on the child tables (member_emails, team_members); a
-- manager id stored as sent, with no foreign key (identity providers send users in
-- any order); and users deleted for real. A deleted member leaves a row in
-- former_members, so that the bookings they made keep their name.

ALTER TABLE member_emails ADD COLUMN workspace_id TEXT NOT NULL DEFAULT '';
UPDATE member_emails SET workspace_id = (SELECT m.workspace_id FROM members m WHERE m.id = member_emails.member_id);

ALTER TABLE team_members ADD COLUMN workspace_id TEXT NOT NULL DEFAULT '';
UPDATE team_members SET workspace_id = (SELECT t.workspace_id FROM teams t WHERE t.id = team_members.team_id);
ALTER TABLE team_members DROP COLUMN added_at;

ALTER TABLE members ADD COLUMN manager TEXT;
UPDATE members SET manager = manager_id;
DROP INDEX members_manager;
ALTER TABLE members DROP COLUMN manager_id;
ALTER TABLE members RENAME COLUMN manager TO manager_id;
CREATE INDEX members_manager ON members (workspace_id, manager_id);

-- sqlstore finds a resource by (workspace, id): a unique index on both keeps that
-- lookup on one index whatever the planner's statistics say.
CREATE UNIQUE INDEX members_key ON members (workspace_id, id);
CREATE UNIQUE INDEX teams_key ON teams (workspace_id, id);

CREATE TABLE former_members (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id),
	user_name    TEXT NOT NULL,
	display_name TEXT,
	deleted_at   TEXT NOT NULL
);
INSERT INTO former_members (id, workspace_id, user_name, display_name, deleted_at)
	SELECT id, workspace_id, user_name, display_name, deleted_at FROM members WHERE deleted_at IS NOT NULL;

-- bookings without the foreign key on member_id (SQLite rebuilds the table for that)
CREATE TABLE bookings_new (
	id           TEXT PRIMARY KEY,
	workspace_id TEXT NOT NULL REFERENCES workspaces (id),
	desk_id      TEXT NOT NULL REFERENCES desks (id),
	member_id    TEXT NOT NULL,
	day          TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
INSERT INTO bookings_new SELECT id, workspace_id, desk_id, member_id, day, created_at FROM bookings;
DROP TABLE bookings;
ALTER TABLE bookings_new RENAME TO bookings;
CREATE UNIQUE INDEX bookings_desk_day ON bookings (desk_id, day);
CREATE INDEX bookings_member ON bookings (member_id, day);

DELETE FROM member_emails WHERE member_id IN (SELECT id FROM members WHERE deleted_at IS NOT NULL);
DELETE FROM members WHERE deleted_at IS NOT NULL;
DROP INDEX members_user_name;
ALTER TABLE members DROP COLUMN deleted_at;
CREATE UNIQUE INDEX members_user_name ON members (workspace_id, lower(user_name));
