#!/usr/bin/env bash
# Gives this machine what Lambda's runtimes bring and Flint cannot fetch by itself, before `npm start`: boto3 for
# the system Python that runs Python functions (Debian's python3-boto3). Installs it where it can (as root, or
# with sudo that needs no password); otherwise says the command and lets Flint start anyway (Flint says it again
# when a Python function is deployed). Node.js majors and AWS SDK packages are fetched by Flint at deploy.
set -uo pipefail

python=/usr/bin/python3
[ -x "$python" ] || exit 0
"$python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("boto3") is None)' && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "runtime-tools: boto3 is missing for $python (Python functions import it on Lambda); install it with: $python -m pip install --user boto3" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
else
  echo "runtime-tools: boto3 is missing for $python (Python functions import it on Lambda); install it with: sudo apt-get install python3-boto3" >&2
  exit 0
fi
echo "runtime-tools: installing python3-boto3 (boto3 for Python functions, as on Lambda)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends python3-boto3 >/dev/null ||
  echo "runtime-tools: could not install python3-boto3; install it with: sudo apt-get install python3-boto3" >&2
exit 0
