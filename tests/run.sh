#!/usr/bin/env bash
# Runs every test of RecoveryConsole, installing first what the tests need (as root, from Debian's packages).
#   bash tests/run.sh                       # everything
#   bash tests/run.sh --filter Category=Lab # one group (Ssh, Etcd, Browser, Lab, S3) or any dotnet test filter
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null || need+=(chromium)          # Browser tests (Playwright drives Debian's Chromium)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)             # Ssh tests start their own sshd on 127.0.0.1
command -v ssh >/dev/null || need+=(openssh-client)         # the SSH transport is the OpenSSH client
command -v etcd >/dev/null || need+=(etcd-server)           # Etcd tests start a real three-member cluster
command -v etcdctl >/dev/null || need+=(etcd-client)
command -v sudo >/dev/null || need+=(sudo)                  # procedures run "sudo ..." on hosts; the SSH tests use localhost
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} ..."
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

dotnet build RecoveryConsole.sln -nologo -clp:ErrorsOnly
log=$(mktemp)
set +e
# One test project at a time: the Ssh, Etcd and Browser groups start real servers and a browser, and on two cores
# running them side by side only makes them compete.
dotnet test RecoveryConsole.sln --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test projects.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
