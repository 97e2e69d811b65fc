#!/usr/bin/env bash
# Runs once, when the primary's data volume is first initialised (docker-entrypoint-initdb.d):
# the role and slot the streaming replica connects with, and a pg_hba line that lets it in.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v role="$POSTGRES_REPLICATION_USER" -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'password';
-- The slot keeps the WAL a replica has not received yet (bounded by max_slot_wal_keep_size).
SELECT pg_create_physical_replication_slot('shutter_replica');
SQL

# "all" in pg_hba does not cover replication connections; they need their own line.
echo "host replication $POSTGRES_REPLICATION_USER all scram-sha-256" >>"$PGDATA/pg_hba.conf"
