#!/usr/bin/env bash
# Installs what the exchange needs beyond the .NET SDK: PostgreSQL server binaries (tests and the embedded
# default start private servers from them), the time zone database and, with --with-browser (what the tests need),
# Chromium with its driver (browser tests) and Prometheus' promtool (alert rule tests).
# Does nothing when they are already there.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL server binaries..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if [ ! -f /usr/share/zoneinfo/Asia/Shanghai ]; then
  # Exchange:TradingDayTimeZone takes IANA ids, which .NET reads from the system's time zone database.
  echo "Installing the time zone database..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tzdata >/dev/null
fi

if [ "${1:-}" = "--with-browser" ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; }; then
  # The web page's end-to-end tests drive Debian's headless Chromium.
  echo "Installing Chromium and ChromeDriver for the browser tests..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = "--with-browser" ] && ! command -v promtool >/dev/null && [ ! -x "$root/.tools/prometheus/usr/bin/promtool" ]; then
  # Unpacked from Debian's package rather than installed, which would also start a Prometheus server on this machine.
  echo "Fetching promtool for the alert rule tests..."
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  mkdir -p "$root/.tools"
  (cd "$root/.tools" && { apt-get download -qq prometheus 2>/dev/null || { $SUDO apt-get update -qq && apt-get download -qq prometheus; }; } \
    && dpkg-deb -x prometheus_*.deb prometheus && rm -f prometheus_*.deb)
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  # initdb refuses root, so servers run as this user.
  useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
fi
