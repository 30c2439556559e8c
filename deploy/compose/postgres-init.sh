#!/bin/sh
# One database per service, each owned by its own role: a service can reach only its own database.
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d).
set -eu
for service in auth catalog booking portal partner; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="stvos_$service" -v password="$STVOS_DB_PASSWORD" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
