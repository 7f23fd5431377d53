CREATE OR REPLACE FUNCTION find_user(p_email text) RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT id FROM users WHERE email = p_email $$;
