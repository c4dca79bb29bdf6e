#!/usr/bin/env bash
# The Debian packages `npm test` needs, in one list: the README's set-up runs this script and .ci/run
# does too, so a machine set up as the README says is the machine CI tests on.
#   scripts/system-packages.sh           install the missing ones (apt-get, as root or through sudo)
#   scripts/system-packages.sh --list    print the whole list, one per line
set -euo pipefail

packages=(
  # An independent block validator for /usr/bin/python3: python-bitcoinlib judges powlab's blocks.
  python3-bitcoinlib
  # The browser the page tests drive through playwright-core (never a downloaded one).
  chromium
  # Mesa's llvmpipe, a software renderer on the CPU, stands in for a GPU: Dawn (the webgpu package)
  # reaches it through OpenGL ES over EGL: the EGL and GLES loaders, Mesa's EGL, the DRI drivers.
  libegl1
  libegl-mesa0
  libgles2
  libgl1-mesa-dri
  # lavapipe (llvmpipe behind Vulkan): what Chromium's ANGLE needs to give a page's WebGPU llvmpipe.
  mesa-vulkan-drivers
)

if [ "${1:-}" = --list ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
if [ $# -gt 0 ]; then
  echo "usage: scripts/system-packages.sh [--list]" >&2
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "every system package the tests need is installed"
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "needs root to install: ${missing[*]} (run: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  as_root=(sudo)
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
