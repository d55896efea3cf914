#!/usr/bin/env bash
# Copy chillybin's data from a SQLite file to PostgreSQL (docs/scaling.md, "Moving the data"):
# the stock (in its order), every order with its row id and public id, and the orders' items.
# Idempotency keys stay behind: a retry of a request from before the move is a new request.
#
#   scripts/sqlite-to-postgres.sh <sqlite file>      with DATABASE_URL set
#
# Before: stop every chillybin that writes the file (take a last backup: npm run db -- backup),
# and migrate the PostgreSQL database (start chillybin once with DATABASE_URL, or npm run
# migrate -- up). One transaction: it all arrives, or nothing does. Needs sqlite3 and psql.
set -euo pipefail

if [[ $# -ne 1 || -z ${DATABASE_URL:-} ]]; then
  echo "usage: DATABASE_URL=postgres://… sqlite-to-postgres.sh <sqlite file>" >&2
  exit 2
fi
db=$1
[[ -f $db ]] || { echo "sqlite-to-postgres.sh: no file $db" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

sqlite3 -header -csv "$db" "SELECT name, quantity FROM ingredients ORDER BY rowid" >"$out/ingredients.csv"
sqlite3 -header -csv "$db" "SELECT id, customer, created_at, public_id FROM orders ORDER BY id" >"$out/orders.csv"
# Items keep their order within an order (SQLite's rowid) as PostgreSQL's position column.
sqlite3 -header -csv "$db" "SELECT order_id, row_number() OVER (PARTITION BY order_id ORDER BY rowid) - 1 AS position, ingredient, quantity FROM order_items" >"$out/order_items.csv"

# The seed rows of the new database go; row ids are kept (orders.id is an identity column,
# hence OVERRIDING SYSTEM VALUE), and the identity then continues after the last one.
psql "$DATABASE_URL" --quiet --no-psqlrc -v ON_ERROR_STOP=1 <<SQL
BEGIN;
DELETE FROM ingredients;
\copy ingredients (name, quantity) FROM '$out/ingredients.csv' CSV HEADER
CREATE TEMP TABLE sqlite_orders (id bigint, customer text, created_at text, public_id text);
\copy sqlite_orders FROM '$out/orders.csv' CSV HEADER
INSERT INTO orders (id, customer, created_at, public_id) OVERRIDING SYSTEM VALUE SELECT * FROM sqlite_orders;
SELECT setval(pg_get_serial_sequence('orders', 'id'), coalesce(max(id), 1)) FROM orders \g /dev/null
\copy order_items (order_id, position, ingredient, quantity) FROM '$out/order_items.csv' CSV HEADER
COMMIT;
SQL
echo "copied $(($(wc -l <"$out/ingredients.csv") - 1)) ingredients, $(($(wc -l <"$out/orders.csv") - 1)) orders and $(($(wc -l <"$out/order_items.csv") - 1)) items from $db"
