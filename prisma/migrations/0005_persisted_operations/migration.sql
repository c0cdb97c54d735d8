-- Persisted operations: a project's registered GraphQL documents, addressed by the sha256 of
-- their exact text (Apollo's persisted-query extension). With the project setting
-- operationAllowList, callers other than admin and service may run only these.
CREATE TABLE koyalite.persisted_operations (
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL,
  name        text NOT NULL,
  sha256      text NOT NULL,
  query       text NOT NULL,
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT persisted_operations_pkey PRIMARY KEY (id),
  CONSTRAINT persisted_operations_project_id_fkey FOREIGN KEY (project_id) REFERENCES koyalite.projects (id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT persisted_operations_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX persisted_operations_project_id_name_key ON koyalite.persisted_operations (project_id, name);
CREATE UNIQUE INDEX persisted_operations_project_id_sha256_key ON koyalite.persisted_operations (project_id, sha256);
