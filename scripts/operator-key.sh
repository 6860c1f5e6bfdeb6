#!/usr/bin/env bash
# Prints the operator key kept in FILE, creating it (readable by its owner only) the first time. The local scripts
# pass it to their silos as Exchange:BootstrapOperatorKey, so the key survives restarts instead of being shown once.
set -euo pipefail
file=$1
if [ ! -f "$file" ]; then
  mkdir -p "$(dirname "$file")"
  (umask 077; echo "cx_$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > "$file")
fi
cat "$file"
