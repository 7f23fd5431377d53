-- "user" is a reserved word, so the table name is quoted everywhere; the routines in
-- routines/ are the application's way in.
CREATE TABLE "user" (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE "user" IS 'Application users, written through insert_user() and read through find_user_by_id().';
