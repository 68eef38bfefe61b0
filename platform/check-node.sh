#!/usr/bin/env bash
# Building the frontend needs Node.js 20.19 or newer and npm; say what to install when they are not here.
set -euo pipefail
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "The frontend needs Node.js 20.19+ and npm, which are not installed." >&2
  echo "On Debian/Ubuntu: apt-get install nodejs npm (Debian 13 or NodeSource for 20.19+)." >&2
  exit 1
fi
version="$(node -p 'process.versions.node')"
IFS=. read -r major minor _ <<<"$version"
if (( major < 20 || (major == 20 && minor < 19) )); then
  echo "The frontend needs Node.js 20.19 or newer; this is $version. Install a newer nodejs." >&2
  exit 1
fi
