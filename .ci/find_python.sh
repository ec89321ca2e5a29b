#!/usr/bin/env bash
# The Pythons this guide supports (requires-python in pyproject.toml) that run on this machine.
#   find_python.sh        the interpreter for a new .venv: $PYTHON when set, else python3, else
#                         the newest supported python3.X on PATH; or one line saying why none fits
#                         (make also checks an existing .venv's interpreter this way)
#   find_python.sh --all  every supported interpreter on PATH or in pyenv, one per minor version
set -uo pipefail

spec=$(sed -n 's/^requires-python *= *"\(.*\)"/\1/p' "$(dirname "$0")/../pyproject.toml")
low=$(sed -n 's/.*>=3\.\([0-9]*\).*/\1/p' <<<"$spec")
high=$(sed -n 's/.*<3\.\([0-9]*\).*/\1/p' <<<"$spec") # exclusive
needed="Python 3.$low to 3.$((high - 1))"

# X.Y.Z of an interpreter, empty when it does not run (a pyenv shim of an inactive version fails).
version_of() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null; }

# The interpreter's own path (through a pyenv shim, the version it stands for).
executable_of() { "$1" -c 'import sys; print(sys.executable)'; }

supported() {
  local minor
  minor=$(cut -d. -f2 <<<"$1")
  [[ $1 == 3.* && $minor -ge $low && $minor -lt $high ]]
}

# Every python3.X on PATH, newest first; with --all also pyenv's installed versions.
candidates() {
  local minor
  for ((minor = high - 1; minor >= low; minor--)); do type -ap "python3.$minor"; done
  if [[ ${1:-} == --all ]] && command -v pyenv >/dev/null; then
    ls -r "$(pyenv root)"/versions/*/bin/python3 2>/dev/null
  fi
}

pick() {
  local given=${PYTHON:-} python version
  python=${given:-python3}
  version=$(version_of "$python")
  if supported "$version"; then executable_of "$python" && return 0; fi
  if [[ -z $given ]]; then
    for python in $(candidates); do
      supported "$(version_of "$python")" && executable_of "$python" && return 0
    done
  fi
  local found="$python, which does not run" fix
  [[ -n $version ]] && found="Python $version ($python)"
  fix="install one and run make PYTHON=/path/to/python3.$((high - 1))"
  [[ -f $(dirname "$python")/../pyvenv.cfg ]] && fix="remove that environment (make clean), then $fix"
  echo "Found $found; this guide needs $needed: $fix"
  return 1
}

all() {
  local python version seen=" "
  for python in $(candidates --all); do
    version=$(version_of "$python")
    supported "$version" || continue
    [[ $seen == *" ${version%.*} "* ]] && continue
    seen+="${version%.*} "
    echo "$version $(executable_of "$python")"
  done
}

if [[ ${1:-} == --all ]]; then all | sort -rV; else pick; fi
