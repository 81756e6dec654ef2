#!/bin/sh
# Placeholder for the Device Remote Management schema migration: the real script lives in the
# application's repository (DatabaseContainer/migrate.sh). It has the same interface:
#
#   ./migrate.sh up   creates extensions, schemas, helper functions, the core tables, RLS
#                     policies and indexes, then seeds a tenant and a device. Idempotent.
#   (anything else)   run by the postgres image from /docker-entrypoint-initdb.d on the first
#                     start of an empty data directory; the schema is left to db-migrate.
#
# The db-migrate service writes db_connection.txt ("psql <connection URL>") next to it first.

if [ "${1:-}" != "up" ]; then
  # The image's entrypoint sources a script that is not executable: no `exit` and no `set -e`
  # on this path, either would end or change the entrypoint's own shell.
  echo "migrate.sh: first start of the database; db-migrate applies the schema with ./migrate.sh up"
else
  set -eu
  cd "$(dirname "$0")"
  connection=$(sed -n 's/^psql //p' db_connection.txt)
  if [ -z "$connection" ]; then
    echo "migrate.sh: db_connection.txt has no 'psql <url>' line" >&2
    exit 1
  fi

  psql "$connection" -v ON_ERROR_STOP=1 --single-transaction <<'SQL'
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA IF NOT EXISTS app;

-- The backend sets app.tenant_id per request (TenantContextMiddleware); RLS reads it here.
CREATE OR REPLACE FUNCTION app.current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE TABLE IF NOT EXISTS tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS devices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  protocol text NOT NULL CHECK (protocol IN ('snmp', 'webpa', 'tr069', 'usp')),
  address text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  device_id uuid REFERENCES devices(id),
  status text NOT NULL DEFAULT 'queued',
  progress integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS job_results (
  job_id uuid PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  result jsonb NOT NULL
);

ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_results ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON devices;
CREATE POLICY tenant_isolation ON devices USING (tenant_id = app.current_tenant_id());
DROP POLICY IF EXISTS tenant_isolation ON jobs;
CREATE POLICY tenant_isolation ON jobs USING (tenant_id = app.current_tenant_id());
DROP POLICY IF EXISTS tenant_isolation ON job_results;
CREATE POLICY tenant_isolation ON job_results USING (tenant_id = app.current_tenant_id());

CREATE INDEX IF NOT EXISTS devices_tenant_idx ON devices (tenant_id);
CREATE INDEX IF NOT EXISTS jobs_tenant_status_idx ON jobs (tenant_id, status);

INSERT INTO tenants (name) VALUES ('default') ON CONFLICT (name) DO NOTHING;
INSERT INTO devices (tenant_id, name, protocol, address)
  SELECT id, 'sample-router', 'snmp', '192.0.2.1' FROM tenants
  WHERE name = 'default' AND NOT EXISTS (SELECT 1 FROM devices WHERE name = 'sample-router');
SQL

  echo "migrate.sh: schema, RLS policies, indexes and seed data are in place"
fi
