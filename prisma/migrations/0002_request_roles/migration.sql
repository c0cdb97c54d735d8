-- Row-level security plumbing. Requests of non-admin callers run as the NOLOGIN role
-- koyalite_user with their claims in the transaction-local setting koyalite.claims; policies
-- read them through these functions. Roles are cluster-wide: creating one that another
-- KoyaLite database already created is not an error.

DO $$
BEGIN
  CREATE ROLE koyalite_user NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;

-- the connecting role must be able to SET ROLE koyalite_user (superusers always can)
DO $$
BEGIN
  EXECUTE format('GRANT koyalite_user TO %I', current_user);
EXCEPTION WHEN others THEN
  NULL;
END
$$;

CREATE FUNCTION koyalite.auth_claims() RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('koyalite.claims', true), ''), '{}')::jsonb
$$;
CREATE FUNCTION koyalite.auth_uid() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT koyalite.auth_claims() ->> 'sub'
$$;
CREATE FUNCTION koyalite.auth_role() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT koyalite.auth_claims() ->> 'role'
$$;
CREATE FUNCTION koyalite.auth_claim(name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT koyalite.auth_claims() ->> name
$$;
-- auth.uid() compared with a uuid column: a sub that is no uuid compares as NULL (false), never an error
CREATE FUNCTION koyalite.try_uuid(value text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN value::uuid END
$$;

GRANT USAGE ON SCHEMA koyalite TO koyalite_user;
GRANT EXECUTE ON FUNCTION koyalite.auth_claims(), koyalite.auth_uid(), koyalite.auth_role(), koyalite.auth_claim(text), koyalite.try_uuid(text) TO koyalite_user;
-- data mutations write their audit rows in the same statement, as the request's role
GRANT INSERT ON koyalite.audit_logs TO koyalite_user;

-- existing project schemas: the same grants new projects get at creation
DO $$
DECLARE
  s text;
BEGIN
  FOR s IN SELECT schema_name FROM koyalite.projects LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO koyalite_user', s);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO koyalite_user', s);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO koyalite_user', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO koyalite_user', s);
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO koyalite_user', s);
  END LOOP;
END
$$;
