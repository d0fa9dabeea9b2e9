#!/usr/bin/env bash
# Installs what the tests drive and nothing installs by itself, so `npm test` works on a fresh Debian machine:
# Debian's AWS CLI and boto3 (real clients), bubblewrap (the namespace sandbox), curl (the custom-runtime example's
# shell bootstrap uses it), the toolchain that builds AWS's own runtime interface client from source (a test
# fixture), and that fixture's npm packages. Already-installed packages are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(awscli python3-boto3 bubblewrap curl autoconf automake libtool cmake make g++)
missing=()
# dpkg -s also succeeds for a package removed but not purged (status "deinstall ok config-files"): ask for the status.
for pkg in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "test-tools: the tests need these Debian packages: ${missing[*]}" >&2
      echo "test-tools: install them as root (apt-get install ${missing[*]}) and run npm test again" >&2
      exit 1
    fi
    SUDO="sudo"
  fi
  echo "test-tools: installing ${missing[*]} (Debian packages the tests drive)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm writes node_modules/.package-lock.json last: without it an earlier install stopped half-way (a failed native
# build, a lost connection) and is done again rather than left broken.
if [ ! -f test/fixtures/aws-ric/node_modules/.package-lock.json ]; then
  echo "test-tools: installing AWS's runtime interface client (test/fixtures/aws-ric)"
  npm ci --no-audit --no-fund --prefix test/fixtures/aws-ric
fi
