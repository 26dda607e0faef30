#!/usr/bin/env bash
# The system packages the README's commands need, installed from Debian when missing.
#
#   scripts/system-deps.sh demo   Python's venv, a JDK 17+ and Maven (the local Neo4j server)
#   scripts/system-deps.sh test   the same, plus Chromium (the browser tests) and
#                                 PostgreSQL (the PostgreSQL import test)
#
# What is there already is left alone. What is missing is installed with apt-get when
# this runs as root (or with password-less sudo) on a machine with apt-get; otherwise
# the script stops at once with ONE line naming what to install, exit code 1.
# GRAPHBACKEND_APT=never never installs (only checks); GRAPHBACKEND_SKIP_BROWSER_TESTS=1
# drops Chromium from the test set (the browser tests are then skipped on purpose).
set -euo pipefail

what="${1:-test}"
case "$what" in
  demo|test) ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac

java_ok() {
  local java
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"
  else java="$(command -v java || true)"; fi
  [ -n "$java" ] || return 1
  # The launcher runs a single-file Java source: a JDK (javac's compiler module), version 17+.
  local version major
  version="$("$java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n 1)"
  major="${version%%.*}"
  [ "$major" = "1" ] && major="$(echo "$version" | cut -d. -f2)"
  [ -n "$major" ] && [ "$major" -ge 17 ] && [ -x "$(dirname "$(readlink -f "$java")")/javac" ]
}

missing=()   # what, for the message
packages=()  # Debian packages that provide it
need() { missing+=("$1"); packages+=("$2"); }

"${PYTHON:-python3}" -c 'import ensurepip, venv' >/dev/null 2>&1 || need "Python's venv module" python3-venv
java_ok || need "a JDK 17+" "${GRAPHBACKEND_JDK_PACKAGE:-openjdk-17-jdk-headless}"
command -v mvn >/dev/null 2>&1 || need "Maven" maven
if [ "$what" = test ]; then
  if [ "${GRAPHBACKEND_SKIP_BROWSER_TESTS:-}" != 1 ]; then
    chromium="${GRAPHBACKEND_CHROMIUM:-chromium}"
    command -v "$chromium" >/dev/null 2>&1 || need "Chromium" chromium
  fi
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need "PostgreSQL" postgresql
fi

[ ${#missing[@]} -eq 0 ] && exit 0

list="$(IFS=,; echo "${missing[*]}" | sed 's/,/, /g')"
install="apt-get install -y ${packages[*]}"
sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; fi
if [ "${GRAPHBACKEND_APT:-}" = never ] || ! command -v apt-get >/dev/null 2>&1 \
   || { [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; }; then
  echo "graphbackend: missing $list for 'make $what': install them (Debian: sudo $install) and run it again" >&2
  exit 1
fi

echo "graphbackend: installing $list for 'make $what' ($install)" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
if [[ " ${packages[*]} " == *" openjdk-17-jdk-headless "* ]] && ! apt-cache show openjdk-17-jdk-headless >/dev/null 2>&1; then
  # Debian releases after 12 ship a newer JDK instead of 17: take their default one.
  packages=("${packages[@]/openjdk-17-jdk-headless/default-jdk-headless}")
fi
if ! $sudo apt-get install -y -q "${packages[@]}"; then
  echo "graphbackend: apt-get could not install ${packages[*]} (needed: $list); install them by hand and run 'make $what' again" >&2
  exit 1
fi
