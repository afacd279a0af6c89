#!/usr/bin/env bash
# The Debian packages Vigie's tests and browser mode need, installed when missing (as root, or
# through `sudo -n`): run by `npm run setup` on Debian/Ubuntu and by CI. Safe to run again.
set -euo pipefail
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium, Mesa (libgl1-mesa-dri libegl-mesa0), PostgreSQL, openssl, python3-icalendar and python3-networkx with your system's tools."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then exec sudo -n bash "$0" "$@"; fi
  echo "Not root and no password-less sudo: run \`sudo bash scripts/system-packages.sh\` once for the system packages (Chromium, Mesa, PostgreSQL, test oracles)."
  exit 0
fi

need_packages=no
[ -x /usr/bin/chromium ] || need_packages=yes
dpkg -s libgl1-mesa-dri libegl-mesa0 fonts-dejavu-core >/dev/null 2>&1 || need_packages=yes
if [ "$need_packages" = yes ]; then
  echo "Installing Chromium and Mesa (software WebGL) for the end-to-end tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium libgl1-mesa-dri libegl-mesa0 fonts-dejavu-core >/dev/null
fi

# The hub tests start their own throwaway PostgreSQL server (initdb/pg_ctl, run as the `postgres`
# user the package creates): the server binaries must be installed.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! id postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL (server binaries) for the hub tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# The TAK Server client tests make their certificates with the openssl command line.
if ! command -v openssl >/dev/null 2>&1; then
  echo "Installing openssl for the TAK Server client tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq openssl >/dev/null
fi

# Independent oracles we did not write: python3-icalendar computes the expected RFC 5545 occurrences
# (calendar tests); Python's hmac and hashlib.scrypt check the journal checkpoint and the login hashes
# (audit/retention.test.ts, host/logins.test.ts). Without them those tests skip with a message.
if ! /usr/bin/python3 -c 'import icalendar, dateutil' >/dev/null 2>&1; then
  echo "Installing python3-icalendar for the calendar tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-icalendar >/dev/null
fi

# networkx computes the shortest paths the road-routing tests check Vigie's against
# (main/core/routing/roads.real.test.ts); without it those tests skip with a message.
if ! /usr/bin/python3 -c 'import networkx' >/dev/null 2>&1; then
  echo "Installing python3-networkx for the routing tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-networkx >/dev/null
fi


# exiftool reads back citizen photos and videos (main/core/media/*.test.ts): an independent check
# that no GPS, device or owner tag is left after Vigie cleans them; without it those tests skip.
if ! command -v exiftool >/dev/null 2>&1; then
  echo "Installing exiftool (libimage-exiftool-perl) for the citizen media tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq libimage-exiftool-perl >/dev/null
fi
