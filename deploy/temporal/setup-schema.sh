#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to this
# server version. Runs before the server on every `docker compose up`; each step
# leaves an up-to-date database as it is.
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"; }
for database in temporal temporal_visibility; do
  schema=$([ "$database" = temporal ] && echo temporal || echo visibility)
  sql --db "$database" create
  sql --db "$database" setup-schema -v 0.0
  sql --db "$database" update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
done
