#!/usr/bin/env bash
# Make sure the services the test suite talks to are up (DESIGN.md section 5).
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
exit 0
