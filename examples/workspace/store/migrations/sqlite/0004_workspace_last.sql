-- The same indexes as PostgreSQL's (see its 0004): no index starts with the
-- workspace.
DROP INDEX members_user_name;
CREATE UNIQUE INDEX members_user_name ON members (lower(user_name), workspace_id);
DROP INDEX members_external_id;
CREATE INDEX members_external_id ON members (external_id, workspace_id);
DROP INDEX members_manager;
CREATE INDEX members_manager ON members (manager_id, workspace_id);
DROP INDEX members_created;
DROP INDEX teams_display_name;
CREATE UNIQUE INDEX teams_display_name ON teams (lower(display_name), workspace_id);
DROP INDEX teams_created;
DROP INDEX members_key;
DROP INDEX teams_key;
