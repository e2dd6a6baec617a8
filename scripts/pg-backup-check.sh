#!/usr/bin/env bash
# Backup and restore on PostgreSQL as docs/OPERATIONS.md describes them: a database holding the
# demo clinic (two years of orders, points, stored value, vouchers) is dumped with pg_dump,
# restored with pg_restore into a fresh database, and the copy must pass verify-ledgers and hold
# the same number of rows in every table. Exits non-zero on any problem.
# Usage: scripts/pg-backup-check.sh <admin-url>   (e.g. postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
cd "$(dirname "$0")/.."

admin_url=${1:?usage: pg-backup-check.sh <admin-url>}
base=${admin_url%/*}
suffix="$(date +%s)_$$"
source_db="yuehui_backup_source_$suffix"
copy_db="yuehui_backup_copy_$suffix"
work=$(mktemp -d)
cleanup() {
  node scripts/pg-database.mjs drop "$admin_url" "$source_db" >/dev/null || true
  node scripts/pg-database.mjs drop "$admin_url" "$copy_db" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# pg_dump refuses a server newer than itself; a dump is read back by the same major version.
server_major=$(( $(psql "$admin_url" -Atc 'show server_version_num') / 10000 ))
client_major=$(pg_dump --version | grep -oE '[0-9]+' | head -n 1)
echo "server PostgreSQL $server_major, $(pg_dump --version), $(pg_restore --version)"
if [ "$client_major" -lt "$server_major" ]; then
  echo "pg_dump $client_major is older than the server ($server_major): install postgresql-client-$server_major" >&2
  exit 1
fi

yuehui() { DATABASE_URL="$base/$1" LOG_LEVEL=warn node --import tsx src/main.ts "${@:2}"; }

# Exact row counts of every table (the migrations journal included), one line each.
row_counts() {
  psql "$base/$1" -Atc "
    select table_schema || '.' || table_name || ' ' ||
      (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I.%I', table_schema, table_name), false, true, '')))[1]::text
    from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1"
}

node scripts/pg-database.mjs create "$admin_url" "$source_db"
yuehui "$source_db" seed-demo
yuehui "$source_db" verify-ledgers

pg_dump --format=custom --file="$work/yuehui.dump" "$base/$source_db"
echo "dump: $(du -h "$work/yuehui.dump" | cut -f1)"
node scripts/pg-database.mjs create "$admin_url" "$copy_db"
pg_restore --exit-on-error --no-owner --dbname="$base/$copy_db" "$work/yuehui.dump"

yuehui "$copy_db" verify-ledgers
row_counts "$source_db" >"$work/source.txt"
row_counts "$copy_db" >"$work/copy.txt"
if ! diff -u "$work/source.txt" "$work/copy.txt"; then
  echo "the restored copy's row counts differ from the source's" >&2
  exit 1
fi
rows=$(awk '{ sum += $2 } END { print sum }' "$work/copy.txt")
[ "$rows" -gt 1000 ] || { echo "the source held only $rows rows: the demo clinic was not seeded" >&2; exit 1; }
echo "pg_dump → pg_restore: $(wc -l <"$work/copy.txt") tables, $rows rows, verify-ledgers clean on the copy"
