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

CREATE OR REPLACE FUNCTION koyalite.notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
