#!/usr/bin/env bash
# `make test` under every supported Python found here, each in its own .venvs/<X.Y>; one summary
# line per version at the end (full output in .venvs/<X.Y>.log). Fails if any version fails.
set -uo pipefail
cd "$(dirname "$0")/.."

found=$(.ci/find_python.sh --all)
if [[ -z $found ]]; then
  echo "No supported Python found: $(.ci/find_python.sh)"
  exit 1
fi

mkdir -p .venvs
summary=() status=0
while read -r version python; do
  minor=${version%.*} log=.venvs/$minor.log started=$SECONDS
  echo "Python $version ($python): make test, output in $log"
  if VENV=.venvs/$minor PYTHON=$python make test >"$log" 2>&1; then result=passed; else
    result=FAILED status=1
  fi
  counts=$(grep -E "^=+ .*(passed|failed|error).* in [0-9.]+s" "$log" | tail -1 | sed "s/^=* *//; s/ *=*$//")
  summary+=("Python $version: $result in $((SECONDS - started)) s (${counts:-no pytest summary}) $log")
done <<<"$found"

printf '%s\n' "${summary[@]}"
exit $status
