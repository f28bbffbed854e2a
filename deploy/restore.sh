#!/bin/sh
# Restore a backup made by deploy/backup.sh into the database of DATABASE_URL.
#
#   DATABASE_URL=postgres://user:password@host:5432/wijkportaal deploy/restore.sh FILE
#
# The database must exist (it may be empty, or hold an older state of the portal): every
# table, sequence and index of the backup is dropped if present and made again, in one
# transaction, so a restore that fails half-way leaves the database as it was. Owners and
# privileges are those of the user in DATABASE_URL. Stop the portal's web, worker and beat
# first (docs/operations.md, "Backup and restore").
set -eu

file=${1:?"Usage: deploy/restore.sh FILE (with DATABASE_URL set)"}
url=$(printf '%s' "${DATABASE_URL:?Set DATABASE_URL}" | sed 's#^[a-z]*://#postgresql://#')

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$url" "$file"
echo "restored $file"
