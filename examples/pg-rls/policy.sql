-- Row-level security that also checks the PULSE capability, inside the database.
--
-- With `setClaims: true`, the @pulse/pg guard runs
--   SELECT set_config('pulse.claims', '<verified claims as JSON>', true)
-- in every transaction before the first checked statement. The setting is transaction-local, so
-- it ends with COMMIT or ROLLBACK and never leaks to the next user of a pooled connection.
-- Outside a guarded transaction it is empty, and the policy below then matches no row.
--
-- The names rls_demo (schema) and rls_demo_app (role) are placeholders; the test replaces them.

CREATE SCHEMA rls_demo;

CREATE TABLE rls_demo.notes (
  id    int PRIMARY KEY,
  owner text NOT NULL,
  body  text NOT NULL
);

-- Table owners and superusers bypass RLS: the application connects as (or SETs ROLE to) this one.
CREATE ROLE rls_demo_app NOLOGIN;
GRANT USAGE ON SCHEMA rls_demo TO rls_demo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON rls_demo.notes TO rls_demo_app;

ALTER TABLE rls_demo.notes ENABLE ROW LEVEL SECURITY;

-- A row belongs to the principal (`sub`) of the token that the guard verified. nullif() keeps an
-- unset setting (which reads as '' once defined in a session) from failing the jsonb cast.
CREATE POLICY notes_by_principal ON rls_demo.notes
  USING (owner = nullif(current_setting('pulse.claims', true), '')::jsonb ->> 'sub')
  WITH CHECK (owner = nullif(current_setting('pulse.claims', true), '')::jsonb ->> 'sub');
