#!/usr/bin/env bash
# Installs what the tests drive and nothing installs by itself, so `npm test` works on a fresh Debian machine:
# Debian's AWS CLI and boto3 (real clients), bubblewrap (the namespace sandbox), curl (the custom-runtime example's
# shell bootstrap uses it), the toolchain that builds AWS's own runtime interface client from source (a test
# fixture), and that fixture's npm packages. Already-installed packages are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(awscli python3-boto3 bubblewrap curl autoconf automake libtool cmake make g++)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
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

if [ ! -d test/fixtures/aws-ric/node_modules ]; then
  echo "test-tools: installing AWS's runtime interface client (test/fixtures/aws-ric)"
  npm ci --no-audit --no-fund --prefix test/fixtures/aws-ric
fi
