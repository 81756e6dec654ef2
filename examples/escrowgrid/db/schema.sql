-- Placeholder for escrowgrid's db/schema.sql (the seed document names the file but not its
-- content): the TAAS tables for institutions, their API keys, escrowable assets, positions and
-- their state transitions, and the ledger events written for them.
--
-- The postgres image runs it once, as /docker-entrypoint-initdb.d/10-schema.sql, when the data
-- directory is empty; it is not a migration tool. IF NOT EXISTS lets it be re-run by hand:
--   docker compose exec db psql -U taas_user -d taas_platform -f /docker-entrypoint-initdb.d/10-schema.sql

CREATE TABLE IF NOT EXISTS institutions (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  regions     TEXT[] NOT NULL DEFAULT '{}',
  verticals   TEXT[] NOT NULL DEFAULT '{}',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS institution_api_keys (
  id              TEXT PRIMARY KEY,
  institution_id  TEXT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
  key_hash        TEXT NOT NULL UNIQUE,
  label           TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('admin', 'read_only')),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at      TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS asset_templates (
  id              TEXT PRIMARY KEY,
  institution_id  TEXT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
  code            TEXT NOT NULL,
  name            TEXT NOT NULL,
  vertical        TEXT NOT NULL CHECK (vertical IN ('CONSTRUCTION', 'TRADE_FINANCE')),
  region          TEXT NOT NULL,
  config          JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (institution_id, code)
);

CREATE TABLE IF NOT EXISTS assets (
  id              TEXT PRIMARY KEY,
  institution_id  TEXT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
  template_id     TEXT NOT NULL REFERENCES asset_templates (id),
  label           TEXT NOT NULL,
  metadata        JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS positions (
  id                  TEXT PRIMARY KEY,
  institution_id      TEXT NOT NULL REFERENCES institutions (id) ON DELETE CASCADE,
  asset_id            TEXT NOT NULL REFERENCES assets (id),
  holder_reference    TEXT NOT NULL,
  currency            CHAR(3) NOT NULL,
  amount              NUMERIC(20, 2) NOT NULL CHECK (amount >= 0),
  state               TEXT NOT NULL CHECK (state IN ('CREATED', 'FUNDED', 'PARTIALLY_RELEASED', 'RELEASED', 'CANCELLED', 'EXPIRED')),
  external_reference  TEXT,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS position_events (
  id           TEXT PRIMARY KEY,
  position_id  TEXT NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
  from_state   TEXT,
  to_state     TEXT NOT NULL,
  reason       TEXT,
  metadata     JSONB NOT NULL DEFAULT '{}',
  at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ledger_events (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL CHECK (kind IN ('POSITION_CREATED', 'POSITION_STATE_CHANGED')),
  position_id  TEXT NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
  payload      JSONB NOT NULL DEFAULT '{}',
  at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS audit_events (
  id              TEXT PRIMARY KEY,
  institution_id  TEXT REFERENCES institutions (id) ON DELETE SET NULL,
  api_key_id      TEXT REFERENCES institution_api_keys (id) ON DELETE SET NULL,
  action          TEXT NOT NULL,
  method          TEXT NOT NULL,
  path            TEXT NOT NULL,
  payload         JSONB,
  at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_assets_institution ON assets (institution_id);
CREATE INDEX IF NOT EXISTS idx_positions_institution ON positions (institution_id);
CREATE INDEX IF NOT EXISTS idx_positions_asset ON positions (asset_id);
CREATE INDEX IF NOT EXISTS idx_position_events_position ON position_events (position_id, at);
CREATE INDEX IF NOT EXISTS idx_ledger_events_position ON ledger_events (position_id, at);
CREATE INDEX IF NOT EXISTS idx_audit_events_institution ON audit_events (institution_id, at);
