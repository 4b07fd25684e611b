#!/usr/bin/env bash
# Adds every new public symbol of the shipped libraries to their PublicAPI.Unshipped.txt
# (what the PublicApiAnalyzers code fix does in an IDE). Review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Usage: scripts/update-public-api.sh [src/Project ...]   (default: every project under src/)
projects=("$@")
[[ ${#projects[@]} -gt 0 ]] || projects=(src/*/)
for project in "${projects[@]}"; do
  project="${project%/}/"
  [[ -f "$project/PublicAPI.Unshipped.txt" ]] || continue
  out=$(dotnet build "$project" -nologo 2>&1 || true)
  symbols=$(grep -o "error RS0016: Symbol '.*' is not part of the declared public API" <<<"$out" \
    | sed -e "s/^error RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" | sort -u || true)
  if [[ -n "$symbols" ]]; then
    { cat "$project/PublicAPI.Unshipped.txt"; printf '%s\n' "$symbols"; } | awk 'NR==1 || !seen[$0]++' > "$project/PublicAPI.Unshipped.txt.tmp"
    { head -n 1 "$project/PublicAPI.Unshipped.txt.tmp"; tail -n +2 "$project/PublicAPI.Unshipped.txt.tmp" | sort -u; } > "$project/PublicAPI.Unshipped.txt"
    rm "$project/PublicAPI.Unshipped.txt.tmp"
    echo "$project: $(wc -l <<<"$symbols") symbols added"
  fi
  # Symbols that no longer exist (RS0017) are removed.
  gone=$(grep -o "error RS0017: Symbol '.*' is part of the declared API, but is either not public or could not be found" <<<"$out" \
    | sed -e "s/^error RS0017: Symbol '//" -e "s/' is part of the declared API.*$//" | sort -u || true)
  if [[ -n "$gone" ]]; then
    grep -vxF -f <(printf '%s\n' "$gone") "$project/PublicAPI.Unshipped.txt" > "$project/PublicAPI.Unshipped.txt.tmp" || true
    mv "$project/PublicAPI.Unshipped.txt.tmp" "$project/PublicAPI.Unshipped.txt"
    echo "$project: $(wc -l <<<"$gone") symbols removed"
  fi
done
