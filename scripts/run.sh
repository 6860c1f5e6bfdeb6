#!/usr/bin/env bash
# Runs the exchange: one local silo with its HTTP API on http://127.0.0.1:5080. Without a configured
# ConnectionStrings__Exchange it starts a private PostgreSQL whose data stays in .data/ of this repo.
# The operator key is kept in .data/operator.key and printed at every start.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-prerequisites.sh
operator_key=$(bash scripts/operator-key.sh "$PWD/.data/operator.key")
echo "operator key (also in .data/operator.key): $operator_key"
# A local stand-in for the payment provider's secret: `exchange dev-payment --secret-file .data/payment-webhook.secret`
# reports a fan's top-up the way the provider would.
payment_secret=$(bash scripts/payment-secret.sh "$PWD/.data/payment-webhook.secret")
# Through the environment, so the secrets do not show in the process list.
Exchange__BootstrapOperatorKey=$operator_key Exchange__Payments__WebhookSecret=$payment_secret exec dotnet run --project silo/Exchange.Silo -c Release -- \
  --Exchange:DataDirectory="$PWD/.data/postgres" "$@"
