#!/bin/sh
# Back up the portal's PostgreSQL database: one pg_dump file in PostgreSQL's custom format.
#
#   DATABASE_URL=postgres://user:password@host:5432/wijkportaal deploy/backup.sh FOLDER|FILE
#
# Given a folder, the file is FOLDER/wijkportaal-YYYYMMDDTHHMMSSZ.dump (UTC). The dump is
# written to FILE.partial first and renamed when pg_dump has finished, so a failed or broken
# off backup never looks like a finished one. Prints the file's path. pg_dump must be of the
# server's major version or newer (docker-compose.yml's service "backup" runs it in the
# postgres image). Restore with deploy/restore.sh; docs/operations.md, "Backup and restore".
set -eu

target=${1:?"Usage: deploy/backup.sh FOLDER|FILE (with DATABASE_URL set)"}
# libpq reads postgres:// and postgresql:// URLs; the portal's settings also accept pgsql://.
url=$(printf '%s' "${DATABASE_URL:?Set DATABASE_URL}" | sed 's#^[a-z]*://#postgresql://#')

if [ -d "$target" ]; then
    target="$target/wijkportaal-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi
pg_dump --format=custom --dbname="$url" --file="$target.partial"
mv "$target.partial" "$target"
echo "$target"
