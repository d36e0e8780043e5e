#!/usr/bin/env bash
# Debian packages the test suite uses as real components (DESIGN.md section 5):
#   chromium - browser tests (driven by Playwright from PyPI, never `playwright install`)
#   poppler-utils (pdfsig), libnss3-tools (certutil) - an outside check of signed PDFs
#   softhsm2 (softhsm2-util) - PKCS#11 signing tests
# Installed only when missing, and only as root; otherwise the tests that need them skip with
# a reason (and fail under CI=true).
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v pdfsig >/dev/null 2>&1 || needed+=(poppler-utils)
command -v certutil >/dev/null 2>&1 || needed+=(libnss3-tools)
command -v softhsm2-util >/dev/null 2>&1 || needed+=(softhsm2)
((${#needed[@]} == 0)) && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "system-deps: missing ${needed[*]}; run 'sudo apt-get install ${needed[*]}' (tests needing them will skip)" >&2
  exit 0
fi
echo "system-deps: installing ${needed[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
