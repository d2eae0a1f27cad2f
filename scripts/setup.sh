#!/usr/bin/env bash
# Makes sure what netlens needs outside npm is here: Debian's Chromium. Idempotent and quiet
# when everything is in place. (npm packages come from `npm ci`, which the README runs first.)
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
for c in /usr/lib/chromium/chromium /usr/bin/chromium; do
  [ -x "$c" ] && exit 0
done

echo "netlens: Chromium is missing; installing Debian's chromium package with apt-get…" >&2
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "netlens: not root and no sudo. Install it yourself: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
[ -x /usr/lib/chromium/chromium ] || { echo "netlens: chromium did not install; try: apt-get install -y chromium" >&2; exit 1; }
echo "netlens: Chromium installed: $(/usr/lib/chromium/chromium --version 2>/dev/null)" >&2
