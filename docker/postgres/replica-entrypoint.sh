#!/usr/bin/env bash
# Entry point of the streaming replica: on first start (empty data volume) it copies the primary
# with `pg_basebackup -R`, which also writes the standby settings; then it hands over to the
# image's own entry point, which starts postgres as a hot standby.
set -euo pipefail

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready --quiet --host "$PRIMARY_HOST" --port "${PRIMARY_PORT:-5432}"; do
    echo "replica: waiting for the primary at $PRIMARY_HOST"
    sleep 1
  done
  echo "replica: copying the primary (pg_basebackup -R)"
  gosu postgres env PGPASSWORD="$POSTGRES_REPLICATION_PASSWORD" \
    pg_basebackup --pgdata "$PGDATA" --write-recovery-conf --wal-method stream \
    --slot shutter_replica --checkpoint fast \
    --host "$PRIMARY_HOST" --port "${PRIMARY_PORT:-5432}" \
    --username "$POSTGRES_REPLICATION_USER"
fi

exec docker-entrypoint.sh "$@"
