#!/usr/bin/env bash
# Make sure the services the test suite talks to are up (PostgreSQL, Redis).
# PostgreSQL: the machine runs it on 127.0.0.1:5432; if it has stopped and we are root, start
# it. Nothing here installs a server: without PostgreSQL its tests skip, or fail under CI=true.
set -uo pipefail
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [[ $(id -u) -eq 0 ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || echo "test-services: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
fi
# Redis: the rate limiter's production storage (tests/test_hoarding.py). Started the way the
# machine starts it, in memory only, if it is installed but not answering.
if command -v redis-server >/dev/null 2>&1 && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  sleep 0.5
  (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || echo "test-services: Redis is not reachable on 127.0.0.1:6379" >&2
fi
exit 0
