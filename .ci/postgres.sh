#!/bin/sh
# Install and start a PostgreSQL server for the record's tests (tests/track), then export
# TWENTYTEN_TEST_PG. Source it from .ci/run (`. .ci/postgres.sh`) before pytest: under CI=true
# the PostgreSQL tests fail, rather than skip, when the variable is unset.
set -e
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGVER=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$PGVER main"; then
  pg_createcluster "$PGVER" main >/dev/null
fi
pg_ctlcluster "$PGVER" main start >/dev/null 2>&1 || true
for i in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='twentyten'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE twentyten LOGIN CREATEDB PASSWORD 'twentyten'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='twentyten_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O twentyten twentyten_test"
export TWENTYTEN_TEST_PG="postgresql://twentyten:twentyten@localhost/twentyten_test"
