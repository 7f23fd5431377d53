-- migrate:up
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint REFERENCES users);
CREATE INDEX sessions_user ON sessions (user_id);

-- migrate:down
DROP TABLE sessions;
