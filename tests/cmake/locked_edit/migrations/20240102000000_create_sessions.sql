-- migrate:up
CREATE TABLE sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users);

-- migrate:down
DROP TABLE sessions;
