-- Reads one user; no row when the id is unknown.
CREATE OR REPLACE FUNCTION find_user_by_id(p_id bigint)
RETURNS TABLE (id bigint, name text, email text, created_at timestamptz)
LANGUAGE sql
STABLE
AS $$
    SELECT u.id, u.name, u.email, u.created_at FROM "user" AS u WHERE u.id = p_id;
$$;

COMMENT ON FUNCTION find_user_by_id(bigint) IS 'The user with this id, or no row.';
