#!/usr/bin/env bash
# Start PostgreSQL and Redis on 127.0.0.1 when they are not already answering; used by `make test`
# and by hand. Idempotent. On a machine without them, installs them from Debian's packages.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
  echo "services: installing postgresql and redis-server"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
fi

if ! pg_up; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  echo "services: starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "services: PostgreSQL did not start" >&2; exit 1; }

if ! redis_up; then
  echo "services: starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
redis_up || { echo "services: Redis did not start" >&2; exit 1; }

# The end-to-end tests drive Debian's Chromium (Playwright may not download a browser here), and
# the screenshots need a CJK font.
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then
  echo "services: installing chromium and a CJK font"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# The PDF report tests read the text layer (pdftotext, pdffonts) and draw page 1 (pdftoppm);
# WeasyPrint subsets the CJK font with HarfBuzz's subsetter (without it, fontTools: seconds).
if ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null \
  || ! compgen -G '/usr/lib/*/libharfbuzz-subset.so.0' >/dev/null; then
  echo "services: installing poppler-utils and libharfbuzz-subset0"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils \
    libharfbuzz-subset0 >/dev/null
fi

echo "services: PostgreSQL and Redis are up on 127.0.0.1; chromium is $(command -v chromium)"
