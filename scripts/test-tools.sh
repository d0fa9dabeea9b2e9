#!/usr/bin/env bash
# Installs what the tests drive and nothing installs by itself, so `npm test` works on a fresh Debian machine:
# Debian's AWS CLI and boto3 (real clients), bubblewrap (the namespace sandbox), curl (the custom-runtime example's
# shell bootstrap uses it), the toolchain that builds AWS's own runtime interface client from source (a test
# fixture), and that fixture's npm packages. Already-installed packages are left alone.
#
# As root (as .ci/run runs), or with sudo that needs no password, apt-get installs them. Otherwise they are
# provided without root (scripts/user-packages.sh): Debian's own packages, downloaded by an unprivileged apt and
# unpacked under Flint's cache folder, reached through wrappers in $FLINT_CACHE/test-tools/bin that the tests put
# first on PATH (test/helpers/tools.ts).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(awscli python3-boto3 bubblewrap curl autoconf automake libtool cmake make g++)
missing=()
# dpkg -s also succeeds for a package removed but not purged (status "deinstall ok config-files"): ask for the status.
for pkg in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done

SUDO=""
as_user=false
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else as_user=true; fi
fi
tools="${FLINT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flint}/test-tools"

if [ "${#missing[@]}" -gt 0 ] && ! $as_user; then
  echo "test-tools: installing ${missing[*]} (Debian packages the tests drive)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif [ "${#missing[@]}" -gt 0 ]; then
  bash scripts/user-packages.sh "$tools" "${missing[@]}"
fi

# npm writes node_modules/.package-lock.json last: without it an earlier install stopped half-way (a failed native
# build, a lost connection) and is done again rather than left broken.
if [ ! -f test/fixtures/aws-ric/node_modules/.package-lock.json ]; then
  echo "test-tools: installing AWS's runtime interface client (test/fixtures/aws-ric)"
  if $as_user; then
    # The unpacked toolchain expects its own paths (/usr/share/autoconf, /usr/include, gcc's libexec): a private
    # mount namespace shows it there, over /usr, as installed packages would be; user namespaces need no root.
    unshare --user --map-root-user --mount sh -c \
      'mount -t overlay overlay -o "lowerdir=$1/root/usr:/usr" /usr && exec npm ci --no-audit --no-fund --prefix test/fixtures/aws-ric' \
      sh "$tools"
  else
    npm ci --no-audit --no-fund --prefix test/fixtures/aws-ric
  fi
fi
