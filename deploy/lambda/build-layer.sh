#!/usr/bin/env bash
# Builds secretary-layer.zip, an AWS Lambda layer (x86_64) whose extensions/secretary is the native secretary binary.
# Lambda runs every file in /opt/extensions as an external extension, with no arguments; the binary then runs as
# `secretary serve` in extension mode (see docs/deploy.md).
#
#   deploy/lambda/build-layer.sh [--binary PATH] [--output ZIP]
#
# --binary  an already published native binary (linux-x64); by default this script publishes one with Native AOT
# --output  where to write the layer (default artifacts/secretary-layer.zip)
# The zip is reproducible: entries sorted, fixed timestamps, modes kept (0755 for the binary).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
binary=""
output="$root/artifacts/secretary-layer.zip"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --output) output=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "build-layer.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

if [[ -z "$binary" ]]; then
  dotnet publish "$root/src/Secretary.Cli" -r linux-x64 -c Release -p:PublishAot=true -nologo -o "$stage/publish" >&2
  binary="$stage/publish/secretary"
fi

if [[ ! -f "$binary" ]] || [[ "$(head -c 4 "$binary" | od -An -tx1 | tr -d ' ')" != "7f454c46" ]]; then
  echo "build-layer.sh: '$binary' is not a native (ELF) binary; publish with -p:PublishAot=true -r linux-x64 first" >&2
  exit 1
fi

install -D -m 0755 "$binary" "$stage/layer/extensions/secretary"
install -D -m 0644 "$root/LICENSE" "$stage/layer/secretary/LICENSE"
install -D -m 0644 "$root/NOTICE" "$stage/layer/secretary/NOTICE"

mkdir -p "$(dirname "$output")"
python3 - "$stage/layer" "$output" <<'PY'
import os, sys, zipfile
source, output = sys.argv[1], sys.argv[2]
entries = []
for directory, dirs, files in os.walk(source):
    dirs.sort()
    for name in sorted(files):
        entries.append(os.path.join(directory, name))
with zipfile.ZipFile(output + ".tmp", "w", zipfile.ZIP_DEFLATED) as layer:
    for path in entries:
        info = zipfile.ZipInfo(os.path.relpath(path, source), date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = (0o100000 | (os.stat(path).st_mode & 0o777)) << 16
        info.create_system = 3  # Unix, so the mode is honoured when Lambda unpacks the layer
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as content:
            layer.writestr(info, content.read())
os.replace(output + ".tmp", output)
PY
echo "layer: $output ($(du -h "$output" | cut -f1)), extensions/secretary $(du -h "$binary" | cut -f1)"
