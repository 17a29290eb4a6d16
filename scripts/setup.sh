#!/usr/bin/env bash
# Installs everything Etude needs on a fresh Debian bookworm machine; fast no-op when all is present.
# Used by `make run` and `make test`. Needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  emscripten binaryen chromium sox brotli cmake ninja-build g++ make
  libgtest-dev googletest libbenchmark-dev libsndfile1-dev dpkg-dev libaubio-dev
  fluidsynth fluid-soundfont-gm musescore-general-soundfont-small
  python3-venv python3-onnx python3-fonttools fonts-dejavu-core aubio-tools nodejs
  python3-torch python3-sklearn python3-matplotlib python3-scipy
)
SRC_LIST=/etc/apt/sources.list.d/etude-deb-src.sources

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

need_update=0
# Source packages (SDL2 from bookworm, Dear ImGui from trixie) are fetched at configure time.
if [ ! -f "$SRC_LIST" ]; then
  $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi
if ! apt-cache showsrc imgui 2>/dev/null | grep -q '^Version: 1.90.1+ds-1'; then need_update=1; fi

if [ ${#missing[@]} -gt 0 ] || [ $need_update = 1 ]; then
  echo "setup: apt-get update"
  $SUDO apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages (pinned by package-lock.json)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.etude-stamp ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.etude-stamp
fi

# Python venv over Debian's python3 (sees python3-onnx, python3-torch); PyPI pins in requirements.txt
if [ ! -x .venv/bin/python ] || [ requirements.txt -nt .venv/.etude-stamp ]; then
  echo "setup: python venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  touch .venv/.etude-stamp
fi
