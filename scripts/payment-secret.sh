#!/usr/bin/env bash
# Prints the payment provider's webhook secret kept in FILE, creating it (readable by its owner only) the first time.
# scripts/run.sh gives it to its silo, so that `exchange dev-payment` can report top-ups as the provider would.
set -euo pipefail
file=$1
if [ ! -f "$file" ]; then
  mkdir -p "$(dirname "$file")"
  (umask 077; head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$file")
fi
cat "$file"
