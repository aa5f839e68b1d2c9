-- A plan that PostgreSQL made while these tables were empty, and kept (a prepared
-- statement's generic plan), found a member by id through members_user_name: the
-- index narrowed only the workspace and every row of it was read to find the id.
-- No index starts with the workspace now, so a lookup by id or userName has no
-- index to use but the one on its own key. Lists sort the workspace's rows.
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
-- (workspace_id, id) started with the workspace too, and the primary key (id) serves
-- the lookup by id.
DROP INDEX members_key;
DROP INDEX teams_key;
