-- Creates a user and returns its id. Edit this file in place to change the function: strata
-- re-applies it when its text changes and keeps every version in the history table.
CREATE OR REPLACE FUNCTION insert_user(p_name text, p_email text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO "user" (name, email) VALUES (p_name, p_email)
    RETURNING id INTO new_id;
    RETURN new_id;
END;
$$;

COMMENT ON FUNCTION insert_user(text, text) IS 'Creates a user; returns its id.';
