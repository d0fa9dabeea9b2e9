#!/usr/bin/env bash
# user-packages.sh DIR PACKAGE...: provides Debian packages without root. An unprivileged apt (its own state and
# cache under DIR, the machine's sources.list and keys) works out what the packages need that this machine lacks,
# downloads exactly that and unpacks it into DIR/root, as the machine's own packages would be but elsewhere.
# DIR/bin then holds one small wrapper per program there, which runs it with the unpacked libraries
# (LD_LIBRARY_PATH), Python modules (PYTHONPATH) and, for scripts, an interpreter that exists here. Put DIR/bin
# first on PATH to use them. Done once: DIR/provided lists what was provided, and the same request is a no-op.
set -euo pipefail
shopt -s extglob
dir="$1"
shift
wanted="$*"
if [ "$(cat "$dir/provided" 2>/dev/null)" = "$wanted" ]; then exit 0; fi
echo "test-tools: not root and no password-less sudo: providing $wanted under $dir (Debian's packages, unpacked; no root needed)"

rm -rf "$dir/root" "$dir/bin" "$dir/debs" "$dir/provided"
mkdir -p "$dir/apt/state/lists/partial" "$dir/apt/cache/archives/partial" "$dir/root" "$dir/bin" "$dir/debs"
apt=(apt-get -q -o "Dir::State=$dir/apt/state" -o "Dir::Cache=$dir/apt/cache" -o Dir::State::status=/var/lib/dpkg/status
  -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
"${apt[@]}" update -qq >/dev/null
# A simulated install names every package to unpack: the requested ones and what they depend on, minus what the
# machine has already.
mapfile -t closure < <("${apt[@]}" install --simulate --no-install-recommends "$@" | awk '/^Inst /{print $2}')
echo "test-tools: downloading ${#closure[@]} Debian packages"
(cd "$dir/debs" && "${apt[@]}" download "${closure[@]}" >/dev/null)
for deb in "$dir/debs"/*.deb; do
  dpkg-deb -x "$deb" "$dir/root"
  # What the package's install script would add: its alternatives (cc for gcc, c++ for g++, aclocal for automake), as plain links.
  dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./postinst 2>/dev/null | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
    grep -oE -e '--(install|slave)[[:space:]]+/[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+/[^[:space:]]+' | while read -r _ link _ path; do
      # A script's variable (automake's /usr/bin/aclocal-$ver) stands for the one file the package has there.
      set -- "$dir/root"${path//\$*([A-Za-z_{\}])/*}
      [ -e "$dir/root$link" ] || [ -e "$link" ] || [ "$#" -ne 1 ] || [ ! -e "$1" ] || ln -s "$1" "$dir/root$link" 2>/dev/null || true
    done || true # most packages have no install script or no alternatives
done
rm -rf "$dir/debs"
# Debian 12 merges /lib into /usr/lib, but some packages still ship files under /lib (libkeyutils1): merge them the
# same way, so everything unpacked is under DIR/root/usr.
for top in bin sbin lib lib64; do
  if [ -d "$dir/root/$top" ] && [ ! -L "$dir/root/$top" ]; then
    mkdir -p "$dir/root/usr/$top" && cp -a "$dir/root/$top/." "$dir/root/usr/$top/" && rm -rf "$dir/root/$top" && ln -s "usr/$top" "$dir/root/$top"
  fi
done

root="$dir/root"
libs="$root/usr/lib/x86_64-linux-gnu:$root/lib/x86_64-linux-gnu:$root/usr/lib"
pythonpath="$root/usr/lib/python3/dist-packages"
# OpenSSL looks for its providers where it was installed; the AWS CLI's TLS library (awscrt) aborts without them.
openssl=""
[ -d "$root/usr/lib/x86_64-linux-gnu/ossl-modules" ] && openssl="OPENSSL_MODULES=\"$root/usr/lib/x86_64-linux-gnu/ossl-modules\" "
wrap() { # wrap NAME COMMAND...: DIR/bin/NAME runs COMMAND with the unpacked libraries and modules.
  local name="$1"
  shift
  {
    echo '#!/bin/sh'
    echo "# Runs $name as Debian packages it, unpacked under $root without root (scripts/user-packages.sh)."
    echo "${openssl}LD_LIBRARY_PATH=\"$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\" PYTHONPATH=\"\${PYTHONPATH:+\$PYTHONPATH:}$pythonpath\" exec $* \"\$@\""
  } >"$dir/bin/$name"
  chmod +x "$dir/bin/$name"
}
# The interpreter a script names, unpacked here (then through its wrapper) or the machine's own.
interpreter() {
  local name
  name="$(basename "$1")"
  if [ -e "$root/usr/bin/$name" ]; then echo "$dir/bin/$name"; else echo "$1"; fi
}
for program in "$root"/usr/bin/* "$root"/usr/sbin/*; do
  [ -f "$program" ] && [ -x "$program" ] || continue
  name="$(basename "$program")"
  [ -e "$dir/bin/$name" ] && continue
  if [ "$(head -c 2 "$program")" = '#!' ]; then
    read -r interp args < <(head -n 1 "$program" | cut -c 3-)
    [ "$interp" = /usr/bin/env ] && { interp="/usr/bin/$args"; args=""; }
    wrap "$name" "$(interpreter "$interp")" $args "$program"
  else
    wrap "$name" "$program"
  fi
done
# boto3 alone (Python already here): the machine's Python, with the unpacked modules on its path. Flint runs
# Python functions with /usr/bin/python3 itself, so the modules also go on that Python's path for this user, as
# `pip install --user` would (a .pth file in the user's site-packages).
if [ ! -e "$dir/bin/python3" ] && [ -d "$pythonpath" ] && [ -x /usr/bin/python3 ]; then
  wrap python3 /usr/bin/python3
  site="$(/usr/bin/python3 -c 'import site; print(site.getusersitepackages())')"
  mkdir -p "$site" && echo "$pythonpath" >"$site/flint-test-tools.pth"
  echo "test-tools: /usr/bin/python3 finds the provided boto3 through $site/flint-test-tools.pth"
fi
echo "$wanted" >"$dir/provided"
