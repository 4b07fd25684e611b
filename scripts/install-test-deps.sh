#!/usr/bin/env bash
# Installs what the integration tests drive as real processes, when it is missing:
# redis-server (fleet backplane), wrk (load scripts), the official AWS CLI, boto3, Node.js and npm with the AWS SDK for
# JavaScript v3 (conformance), clang and zlib1g-dev (the Native AOT build of secretary), systemd (systemd-analyze
# verify of deploy/systemd), PyYAML (the checks of deploy/kubernetes), PostgreSQL and MariaDB with the Python drivers
# the sample rotation functions use (the database integrations), the unprivileged user the security tests act as and
# the one the database servers run as.
# Fails loudly rather than letting a suite skip silently.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
python3 -c 'import boto3' >/dev/null 2>&1 || missing+=(python3-boto3)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[[ -x /usr/sbin/mariadbd && -x /usr/bin/mariadb-install-db ]] || missing+=(mariadb-server)
# The rotation functions run on Debian's python3 when the python3 on PATH lacks these drivers.
/usr/bin/python3 -c 'import boto3' >/dev/null 2>&1 || python3 -c 'import boto3, psycopg2, pymysql' >/dev/null 2>&1 || missing+=(python3-boto3)
/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1 || python3 -c 'import psycopg2' >/dev/null 2>&1 || missing+=(python3-psycopg2)
/usr/bin/python3 -c 'import pymysql' >/dev/null 2>&1 || python3 -c 'import pymysql' >/dev/null 2>&1 || missing+=(python3-pymysql)
# The agent's security tests run their attacks as an unprivileged user, with the system Python (a user's own Python is out of its reach).
[[ -x /usr/bin/python3 ]] || missing+=(python3)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
command -v useradd >/dev/null 2>&1 || missing+=(passwd)

# The AWS SDK for JavaScript v3 for tests/Conformance, at the exact versions js/package-lock.json pins (node_modules
# is gitignored). The conformance fixture runs the same npm ci when it finds the folder missing.
install_js_sdk() {
  local js
  js="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/Conformance/js"
  if [[ ! -f "$js/node_modules/@aws-sdk/client-secrets-manager/package.json" ]]; then
    npm ci --no-audit --no-fund --prefix "$js" >/dev/null
  fi
}
trap 'status=$?; if [[ $status -eq 0 ]]; then install_js_sdk; fi' EXIT

# Security tests take the attacker's seat as this unprivileged local user (they fail without it).
attacker=secretary-attacker
need_attacker=0
id -u "$attacker" >/dev/null 2>&1 || need_attacker=1
# PostgreSQL and MariaDB under test run as this unprivileged user when the tests run as root (initdb refuses root).
db_user=secretary-db
need_db_user=0
id -u "$db_user" >/dev/null 2>&1 || need_db_user=1

if [[ ${#missing[@]} -eq 0 && $need_attacker -eq 0 && $need_db_user -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "missing test dependencies: ${missing[*]} (run as root, or apt-get install them)" >&2
  exit 1
fi

if [[ $need_attacker -eq 1 ]]; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$attacker"
fi
if [[ $need_db_user -eq 1 ]]; then
  useradd --system --no-create-home --shell /usr/sbin/nologin "$db_user"
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# A Debian python3-boto3 serves the system python; make sure the python3 on PATH sees it.
python3 -c 'import boto3' >/dev/null 2>&1 || {
  echo "boto3 is not importable by $(command -v python3) after installing python3-boto3" >&2
  exit 1
}

