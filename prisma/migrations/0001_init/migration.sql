-- KoyaLite meta schema, version 1. Mirrors prisma/schema.prisma (checked by
-- test/meta/schema-drift.test.ts). Applied by src/db/migrate.ts inside one transaction.

CREATE TYPE koyalite."PermissionAction" AS ENUM ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MANAGE');
CREATE TYPE koyalite."PrimaryKeyType" AS ENUM ('UUID', 'BIGINT');
CREATE TYPE koyalite."RelationshipType" AS ENUM ('ONE_TO_ONE', 'ONE_TO_MANY', 'MANY_TO_MANY');
CREATE TYPE koyalite."OnDeleteAction" AS ENUM ('CASCADE', 'SET_NULL', 'RESTRICT');
CREATE TYPE koyalite."PolicyEffect" AS ENUM ('ALLOW', 'DENY');
CREATE TYPE koyalite."PolicyCommand" AS ENUM ('ALL', 'SELECT', 'INSERT', 'UPDATE', 'DELETE');
CREATE TYPE koyalite."VectorMetric" AS ENUM ('COSINE', 'L2', 'INNER_PRODUCT');
CREATE TYPE koyalite."ScheduledTaskStatus" AS ENUM ('SCHEDULED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'PAUSED');
CREATE TYPE koyalite."EmailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');
CREATE TYPE koyalite."WebhookStatus" AS ENUM ('PENDING', 'DELIVERING', 'DELIVERED', 'FAILED');

CREATE TABLE koyalite.roles (
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  built_in    boolean NOT NULL DEFAULT false,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT roles_pkey PRIMARY KEY (id),
  CONSTRAINT roles_name_check CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$')
);
CREATE UNIQUE INDEX roles_name_key ON koyalite.roles (name);

CREATE TABLE koyalite.permissions (
  id        uuid NOT NULL DEFAULT gen_random_uuid(),
  role_id   uuid NOT NULL,
  action    koyalite."PermissionAction" NOT NULL,
  resource  text NOT NULL,
  CONSTRAINT permissions_pkey PRIMARY KEY (id),
  CONSTRAINT permissions_role_id_fkey FOREIGN KEY (role_id) REFERENCES koyalite.roles (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX permissions_role_id_action_resource_key ON koyalite.permissions (role_id, action, resource);

CREATE TABLE koyalite.projects (
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  name              text NOT NULL,
  slug              text NOT NULL,
  schema_name       text NOT NULL,
  owner_id          uuid,
  settings          jsonb NOT NULL DEFAULT '{}',
  metadata_version  integer NOT NULL DEFAULT 1,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT projects_pkey PRIMARY KEY (id),
  CONSTRAINT projects_slug_check CHECK (slug ~ '^[a-z][a-z0-9_-]{1,39}$')
);
CREATE UNIQUE INDEX projects_slug_key ON koyalite.projects (slug);
CREATE UNIQUE INDEX projects_schema_name_key ON koyalite.projects (schema_name);
CREATE INDEX projects_owner_id_idx ON koyalite.projects (owner_id);

CREATE TABLE koyalite.users (
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  email          text NOT NULL,
  password_hash  text NOT NULL,
  role_id        uuid NOT NULL,
  project_id     uuid,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_role_id_fkey FOREIGN KEY (role_id) REFERENCES koyalite.roles (id) ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT users_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT users_email_check CHECK (email = lower(email))
);
CREATE UNIQUE INDEX users_project_id_email_key ON koyalite.users (project_id, email);
-- control-plane users (project_id IS NULL) are unique by email too; NULLs are distinct in the index above
CREATE UNIQUE INDEX users_email_control_plane_key ON koyalite.users (email) WHERE project_id IS NULL;
CREATE INDEX users_role_id_idx ON koyalite.users (role_id);

ALTER TABLE koyalite.projects
  ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES koyalite.users (id) ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE koyalite.tables (
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id        uuid NOT NULL,
  name              text NOT NULL,
  singular_name     text,
  plural_name       text,
  primary_key_type  koyalite."PrimaryKeyType" NOT NULL DEFAULT 'UUID',
  timestamps        boolean NOT NULL DEFAULT true,
  rls_enabled       boolean NOT NULL DEFAULT false,
  owner_column      text,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT tables_pkey PRIMARY KEY (id),
  CONSTRAINT tables_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX tables_project_id_name_key ON koyalite.tables (project_id, name);

CREATE TABLE koyalite.columns (
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  table_id       uuid NOT NULL,
  name           text NOT NULL,
  type           text NOT NULL,
  is_nullable    boolean NOT NULL DEFAULT true,
  default_value  text,
  is_unique      boolean NOT NULL DEFAULT false,
  encrypted      boolean NOT NULL DEFAULT false,
  enum_values    text[] NOT NULL DEFAULT ARRAY[]::text[],
  position       integer NOT NULL,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT columns_pkey PRIMARY KEY (id),
  CONSTRAINT columns_table_id_fkey FOREIGN KEY (table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX columns_table_id_name_key ON koyalite.columns (table_id, name);

CREATE TABLE koyalite.relationships (
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id          uuid NOT NULL,
  type                koyalite."RelationshipType" NOT NULL,
  from_table_id       uuid NOT NULL,
  to_table_id         uuid NOT NULL,
  foreign_key_column  text NOT NULL,
  junction_table_id   uuid,
  junction_target_column text,
  from_field_name     text NOT NULL,
  to_field_name       text NOT NULL,
  on_delete           koyalite."OnDeleteAction" NOT NULL DEFAULT 'CASCADE',
  constraint_name     text NOT NULL,
  created_at          timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT relationships_pkey PRIMARY KEY (id),
  CONSTRAINT relationships_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT relationships_from_table_id_fkey FOREIGN KEY (from_table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT relationships_to_table_id_fkey FOREIGN KEY (to_table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT relationships_junction_table_id_fkey FOREIGN KEY (junction_table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT relationships_junction_check CHECK ((type = 'MANY_TO_MANY') = (junction_table_id IS NOT NULL))
);
CREATE UNIQUE INDEX relationships_project_id_constraint_name_key ON koyalite.relationships (project_id, constraint_name);
CREATE INDEX relationships_from_table_id_idx ON koyalite.relationships (from_table_id);
CREATE INDEX relationships_to_table_id_idx ON koyalite.relationships (to_table_id);

CREATE TABLE koyalite.policies (
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  table_id    uuid NOT NULL,
  name        text NOT NULL,
  "check"     text NOT NULL,
  effect      koyalite."PolicyEffect" NOT NULL DEFAULT 'ALLOW',
  command     koyalite."PolicyCommand" NOT NULL DEFAULT 'ALL',
  enabled     boolean NOT NULL DEFAULT true,
  created_by  uuid,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT policies_pkey PRIMARY KEY (id),
  CONSTRAINT policies_table_id_fkey FOREIGN KEY (table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT policies_created_by_fkey FOREIGN KEY (created_by) REFERENCES koyalite.users (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX policies_table_id_name_key ON koyalite.policies (table_id, name);

CREATE TABLE koyalite.vector_indexes (
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  table_id          uuid NOT NULL,
  name              text NOT NULL,
  embedding_column  text NOT NULL,
  dimensions        integer NOT NULL,
  metric            koyalite."VectorMetric" NOT NULL DEFAULT 'COSINE',
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT vector_indexes_pkey PRIMARY KEY (id),
  CONSTRAINT vector_indexes_table_id_fkey FOREIGN KEY (table_id) REFERENCES koyalite.tables (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT vector_indexes_dimensions_check CHECK (dimensions BETWEEN 1 AND 16000)
);
CREATE UNIQUE INDEX vector_indexes_table_id_name_key ON koyalite.vector_indexes (table_id, name);

CREATE TABLE koyalite.files (
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id   uuid NOT NULL,
  owner_id     uuid,
  path         text NOT NULL,
  mime_type    text NOT NULL,
  size         bigint NOT NULL,
  checksum     text NOT NULL,
  storage_key  text NOT NULL,
  created_at   timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT files_pkey PRIMARY KEY (id),
  CONSTRAINT files_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT files_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES koyalite.users (id) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT files_size_check CHECK (size >= 0)
);
CREATE UNIQUE INDEX files_project_id_path_key ON koyalite.files (project_id, path);
CREATE INDEX files_owner_id_idx ON koyalite.files (owner_id);

CREATE TABLE koyalite.edge_functions (
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id     uuid NOT NULL,
  name           text NOT NULL,
  version        integer NOT NULL DEFAULT 1,
  code           text NOT NULL,
  allowed_roles  text[] NOT NULL DEFAULT ARRAY[]::text[],
  region         text,
  created_by     uuid,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT edge_functions_pkey PRIMARY KEY (id),
  CONSTRAINT edge_functions_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT edge_functions_created_by_fkey FOREIGN KEY (created_by) REFERENCES koyalite.users (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX edge_functions_project_id_name_key ON koyalite.edge_functions (project_id, name);

CREATE TABLE koyalite.scheduled_tasks (
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id     uuid NOT NULL,
  function_id    uuid NOT NULL,
  cron_schedule  text NOT NULL,
  enabled        boolean NOT NULL DEFAULT true,
  status         koyalite."ScheduledTaskStatus" NOT NULL DEFAULT 'SCHEDULED',
  last_run       timestamptz(3),
  next_run       timestamptz(3),
  last_error     text,
  created_at     timestamptz(3) NOT NULL DEFAULT now(),
  updated_at     timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT scheduled_tasks_pkey PRIMARY KEY (id),
  CONSTRAINT scheduled_tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT scheduled_tasks_function_id_fkey FOREIGN KEY (function_id) REFERENCES koyalite.edge_functions (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX scheduled_tasks_enabled_next_run_idx ON koyalite.scheduled_tasks (enabled, next_run);
CREATE INDEX scheduled_tasks_project_id_idx ON koyalite.scheduled_tasks (project_id);

CREATE TABLE koyalite.email_templates (
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL,
  name        text NOT NULL,
  subject     text NOT NULL,
  body        text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT email_templates_pkey PRIMARY KEY (id),
  CONSTRAINT email_templates_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX email_templates_project_id_name_key ON koyalite.email_templates (project_id, name);

CREATE TABLE koyalite.email_logs (
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id       uuid NOT NULL,
  template_id      uuid,
  "to"             text NOT NULL,
  subject          text NOT NULL,
  variables        jsonb NOT NULL DEFAULT '{}',
  status           koyalite."EmailStatus" NOT NULL DEFAULT 'PENDING',
  attempts         integer NOT NULL DEFAULT 0,
  last_attempt_at  timestamptz(3),
  next_attempt_at  timestamptz(3) NOT NULL DEFAULT now(),
  last_error       text,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT email_logs_pkey PRIMARY KEY (id),
  CONSTRAINT email_logs_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT email_logs_template_id_fkey FOREIGN KEY (template_id) REFERENCES koyalite.email_templates (id) ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX email_logs_status_next_attempt_at_idx ON koyalite.email_logs (status, next_attempt_at);
CREATE INDEX email_logs_project_id_created_at_idx ON koyalite.email_logs (project_id, created_at);

CREATE TABLE koyalite.webhook_endpoints (
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id    uuid NOT NULL,
  event_types   text[] NOT NULL,
  target_url    text NOT NULL,
  secret        text NOT NULL,
  max_attempts  integer NOT NULL DEFAULT 8,
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id),
  CONSTRAINT webhook_endpoints_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT webhook_endpoints_max_attempts_check CHECK (max_attempts BETWEEN 1 AND 100)
);
CREATE INDEX webhook_endpoints_project_id_idx ON koyalite.webhook_endpoints (project_id);

CREATE TABLE koyalite.webhooks (
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id       uuid NOT NULL,
  endpoint_id      uuid NOT NULL,
  event_type       text NOT NULL,
  target_url       text NOT NULL,
  payload          jsonb NOT NULL,
  status           koyalite."WebhookStatus" NOT NULL DEFAULT 'PENDING',
  attempt_count    integer NOT NULL DEFAULT 0,
  last_attempt_at  timestamptz(3),
  next_attempt_at  timestamptz(3) NOT NULL DEFAULT now(),
  last_error       text,
  response_status  integer,
  created_at       timestamptz(3) NOT NULL DEFAULT now(),
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT webhooks_pkey PRIMARY KEY (id),
  CONSTRAINT webhooks_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT webhooks_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES koyalite.webhook_endpoints (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX webhooks_status_next_attempt_at_idx ON koyalite.webhooks (status, next_attempt_at);
CREATE INDEX webhooks_endpoint_id_created_at_idx ON koyalite.webhooks (endpoint_id, created_at);

-- No foreign keys: audit entries outlive the users and projects they mention.
CREATE TABLE koyalite.audit_logs (
  id           uuid NOT NULL DEFAULT gen_random_uuid(),
  actor_id     text,
  actor_role   text,
  project_id   uuid,
  action       text NOT NULL,
  target_type  text NOT NULL,
  target_id    text,
  metadata     jsonb NOT NULL DEFAULT '{}',
  "timestamp"  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT audit_logs_pkey PRIMARY KEY (id)
);
CREATE INDEX audit_logs_project_id_timestamp_idx ON koyalite.audit_logs (project_id, "timestamp");
CREATE INDEX audit_logs_actor_id_timestamp_idx ON koyalite.audit_logs (actor_id, "timestamp");
CREATE INDEX audit_logs_action_timestamp_idx ON koyalite.audit_logs (action, "timestamp");
CREATE INDEX audit_logs_timestamp_idx ON koyalite.audit_logs ("timestamp");

-- Built-in roles. admin can do everything; authenticated and anonymous see nothing until granted.
INSERT INTO koyalite.roles (name, built_in) VALUES ('admin', true), ('authenticated', true), ('anonymous', true), ('service', true);
INSERT INTO koyalite.permissions (role_id, action, resource)
  SELECT id, 'MANAGE', '*' FROM koyalite.roles WHERE name IN ('admin', 'service');

-- updated_at kept by the database on every path (generated API, raw SQL, workers)
CREATE FUNCTION koyalite.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
