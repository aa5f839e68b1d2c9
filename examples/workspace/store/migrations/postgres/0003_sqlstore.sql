-- SCIM provisioning moves to package sqlstore, mapped onto these tables. What it
-- needs: a workspace column on the child tables (member_emails, team_members); a
-- manager id stored as sent, with no foreign key (identity providers send users in
-- any order); and users deleted for real. A deleted member leaves a row in
-- former_members, so that the bookings they made keep their name.

ALTER TABLE member_emails ADD COLUMN workspace_id TEXT;
UPDATE member_emails e SET workspace_id = m.workspace_id FROM members m WHERE m.id = e.member_id;
ALTER TABLE member_emails ALTER COLUMN workspace_id SET NOT NULL;

ALTER TABLE team_members ADD COLUMN workspace_id TEXT;
UPDATE team_members tm SET workspace_id = t.workspace_id FROM teams t WHERE t.id = tm.team_id;
ALTER TABLE team_members ALTER COLUMN workspace_id SET NOT NULL;
ALTER TABLE team_members DROP COLUMN added_at;

ALTER TABLE members ADD COLUMN manager TEXT;
UPDATE members SET manager = manager_id;
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
	deleted_at   TIMESTAMPTZ NOT NULL
);
INSERT INTO former_members (id, workspace_id, user_name, display_name, deleted_at)
	SELECT id, workspace_id, user_name, display_name, deleted_at FROM members WHERE deleted_at IS NOT NULL;
ALTER TABLE bookings DROP CONSTRAINT bookings_member_id_fkey;
DELETE FROM member_emails WHERE member_id IN (SELECT id FROM members WHERE deleted_at IS NOT NULL);
DELETE FROM members WHERE deleted_at IS NOT NULL;
DROP INDEX members_user_name;
ALTER TABLE members DROP COLUMN deleted_at;
CREATE UNIQUE INDEX members_user_name ON members (workspace_id, lower(user_name));
