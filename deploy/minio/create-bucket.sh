#!/bin/sh
# Creates the bucket the worker publishes to, with a rule that expires what
# failed runs leave in _staging/ after 7 days. Idempotent.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "local/$BUCKET"
mc ilm rule ls "local/$BUCKET" 2>/dev/null | grep -q '_staging/' ||
  mc ilm rule add --prefix '_staging/' --expire-days 7 "local/$BUCKET"
