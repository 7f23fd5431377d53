-- OTP login: a session starts unverified with a hashed code, and becomes usable once the code
-- is entered before it expires.
CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    otp_hash bytea NOT NULL,
    otp_expires_at timestamptz NOT NULL,
    attempts smallint NOT NULL DEFAULT 0,
    verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

COMMENT ON TABLE sessions IS 'Sign-in attempts and the sessions they became.';
COMMENT ON COLUMN sessions.otp_hash IS 'SHA-256 of the one-time password; the code itself is never stored.';
COMMENT ON COLUMN sessions.otp_expires_at IS 'After this the code is refused.';
COMMENT ON COLUMN sessions.attempts IS 'Wrong codes entered; the session is refused after 5.';
COMMENT ON COLUMN sessions.verified_at IS 'When the right code was entered; NULL while pending.';
