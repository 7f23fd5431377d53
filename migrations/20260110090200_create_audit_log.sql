-- migrate:up
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    user_id bigint REFERENCES users (id) ON DELETE SET NULL,
    action text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id, occurred_at);

COMMENT ON TABLE audit_log IS 'Append-only record of security-relevant events (sign-ins, failures).';
COMMENT ON COLUMN audit_log.action IS 'What happened, e.g. otp_sent, otp_verified, otp_rejected.';

-- migrate:down
DROP TABLE audit_log;
