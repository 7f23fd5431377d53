-- migrate:up
-- Released as locked in migrations.lock, then edited: the build must refuse it.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text
);

-- migrate:down
DROP TABLE users;
