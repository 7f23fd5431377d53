-- migrate:up
-- People who sign in with a one-time password sent to their email address.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    display_name text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_lowercase CHECK (email = lower(email))
);
CREATE UNIQUE INDEX users_email_key ON users (email);

COMMENT ON TABLE users IS 'Accounts that sign in with a one-time password (OTP) sent by email.';
COMMENT ON COLUMN users.email IS 'Where OTP codes are sent; stored lower-case, unique.';
COMMENT ON COLUMN users.display_name IS 'Shown in the UI; optional.';

-- migrate:down
DROP TABLE users;
