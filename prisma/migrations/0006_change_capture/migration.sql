-- Change capture of project tables, for webhooks (a transactional outbox) and realtime
-- subscriptions (postChanged). Every row change writes its webhook deliveries, and
-- NOTIFYs koyalite_changes when its transaction commits (NOTIFY is transactional), with the
-- table, the operation, the row's id and the new and old rows as they were at the change (when
-- they fit the NOTIFY payload). Before anything is delivered, each subscriber's role and claims
-- are checked against the table's policies for both rows (koyalite.row_visible).

-- Which tables have subscribers now: each instance holds a lease per table it has subscribers
-- for (renewed while they last, removed when they go). A NOTIFY serializes commits, so writes
-- to a table nobody subscribes to skip it; the trigger only looks up this small table.
CREATE TABLE koyalite.change_listeners (
  instance_id  uuid NOT NULL,
  schema_name  text NOT NULL,
  table_name   text NOT NULL,
  expires_at   timestamptz(3) NOT NULL,
  CONSTRAINT change_listeners_pkey PRIMARY KEY (instance_id, schema_name, table_name)
);
CREATE INDEX change_listeners_schema_name_table_name_idx ON koyalite.change_listeners (schema_name, table_name);
GRANT SELECT ON koyalite.change_listeners TO koyalite_user;

-- Webhooks as a transactional outbox: the change trigger of every project table writes one
-- delivery row per enabled endpoint subscribed to the event (`<table>.insert|update|delete`) in
-- the transaction of the change, so a delivery exists exactly when the change commits; workers
-- claim PENDING rows with FOR UPDATE SKIP LOCKED. The body is { type, timestamp, data: { new, old } }.
-- SECURITY DEFINER: the request role may write project tables but not koyalite.webhooks.
CREATE FUNCTION koyalite.enqueue_webhooks(p_schema text, p_table text, p_op text, p_new json, p_old json) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  event text := p_table || '.' || lower(p_op);
  added integer;
BEGIN
  INSERT INTO koyalite.webhooks (project_id, endpoint_id, event_type, target_url, payload)
  SELECT e.project_id, e.id, event, e.target_url,
         jsonb_build_object('type', event, 'timestamp', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                            'data', jsonb_build_object('new', p_new, 'old', p_old))
    FROM koyalite.webhook_endpoints e JOIN koyalite.projects p ON p.id = e.project_id
   WHERE p.schema_name = p_schema AND e.enabled AND event = ANY (e.event_types);
  GET DIAGNOSTICS added = ROW_COUNT;
  -- wakes the delivery workers of every instance at commit (one per transaction: same payload)
  IF added > 0 THEN PERFORM pg_notify('koyalite_webhooks', ''); END IF;
END
$$;
REVOKE ALL ON FUNCTION koyalite.enqueue_webhooks(text, text, text, json, json) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION koyalite.enqueue_webhooks(text, text, text, json, json) TO koyalite_user;

CREATE FUNCTION koyalite.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_id text;
  new_json json;
  old_json json;
  new_row text;
  old_row text;
BEGIN
  IF TG_OP <> 'DELETE' THEN new_json := row_to_json(NEW); END IF;
  IF TG_OP <> 'INSERT' THEN old_json := row_to_json(OLD); END IF;
  PERFORM koyalite.enqueue_webhooks(TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP, new_json, old_json);
  IF NOT EXISTS (SELECT 1 FROM koyalite.change_listeners l WHERE l.schema_name = TG_TABLE_SCHEMA AND l.table_name = TG_TABLE_NAME AND l.expires_at > now()) THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN row_id := OLD.id::text; ELSE row_id := NEW.id::text; END IF;
  new_row := new_json::text;
  old_row := old_json::text;
  -- the payload limit is 8000 bytes: the old row goes first (it cannot be read again), the new
  -- row only when both fit (else subscribers read it by id)
  IF coalesce(octet_length(old_row), 0) > 7000 THEN old_row := NULL; END IF;
  IF coalesce(octet_length(old_row), 0) + coalesce(octet_length(new_row), 0) > 7000 THEN new_row := NULL; END IF;
  PERFORM pg_notify('koyalite_changes', json_build_object('s', TG_TABLE_SCHEMA, 't', TG_TABLE_NAME, 'op', TG_OP, 'id', row_id, 'new', new_row::json, 'old', old_row::json)::text);
  RETURN NULL;
END
$$;

DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT p.schema_name, t.name FROM koyalite.tables t JOIN koyalite.projects p ON p.id = t.project_id LOOP
    EXECUTE format('CREATE TRIGGER koya_changes AFTER INSERT OR UPDATE OR DELETE ON %I.%I FOR EACH ROW EXECUTE FUNCTION koyalite.notify_change()', r.schema_name, r.name);
  END LOOP;
END
$$;

-- Would the current role (with its claims) see this row (given as JSON) under the table's row-level
-- security? The SELECT/ALL policies installed on the table, read from the catalog, are evaluated
-- over the row rebuilt from JSON: permissive ones OR-ed, restrictive ones AND-ed, as Postgres
-- does; no permissive policy means nothing is visible. Tables without RLS show every row.
-- The quals come from pg_policies (installed by KoyaLite), never from a request.
CREATE FUNCTION koyalite.row_visible(tbl regclass, row_json jsonb) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  rel record;
  allow text;
  deny text;
  visible boolean;
BEGIN
  SELECT c.relname, n.nspname, c.relrowsecurity INTO rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
  IF NOT rel.relrowsecurity THEN RETURN true; END IF;
  SELECT string_agg('(' || p.qual || ')', ' OR ') FILTER (WHERE p.permissive = 'PERMISSIVE'),
         string_agg('(' || p.qual || ')', ' AND ') FILTER (WHERE p.permissive = 'RESTRICTIVE')
    INTO allow, deny
    FROM pg_policies p
   WHERE p.schemaname = rel.nspname AND p.tablename = rel.relname AND p.cmd IN ('SELECT', 'ALL') AND p.qual IS NOT NULL
     AND (current_user = ANY (p.roles) OR 'public' = ANY (p.roles));
  IF allow IS NULL THEN RETURN false; END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::%s, $1) AS %I WHERE (%s) AND (%s))', tbl, rel.relname, allow, coalesce(deny, 'true'))
    INTO visible USING row_json;
  RETURN visible;
END
$$;
GRANT EXECUTE ON FUNCTION koyalite.notify_change(), koyalite.row_visible(regclass, jsonb) TO koyalite_user;
