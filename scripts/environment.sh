# Sourced by ./run and .ci/run: installs what is missing, then a virtual environment with the project in it.
#
# Debian 12 and Ubuntu 24.04 forbid `pip install` into the system Python (PEP 668), so the project
# lives in .venv beside this checkout. Set PYTHON to choose the interpreter (3.11 or newer).
# Usage: hv_environment EXTRAS APT_PACKAGE...    (EXTRAS: "" or "test")

hv_apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

hv_environment() {
  local extras=$1; shift
  local python=${PYTHON:-python3}
  local packages=("$@")
  # Debian and Ubuntu ship venv's pip bootstrap separately.
  "$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv)
  hv_apt_install "${packages[@]}"
  if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
    rm -rf .venv
    "$python" -m venv .venv
  fi
  local target="."
  [ -n "$extras" ] && target=".[$extras]"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$target"
}

# Qt's libraries: what the offscreen platform loads, and what a desktop session (xcb) adds.
HV_QT_OFFSCREEN_PACKAGES=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
HV_QT_DESKTOP_PACKAGES=("${HV_QT_OFFSCREEN_PACKAGES[@]}" libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0)
