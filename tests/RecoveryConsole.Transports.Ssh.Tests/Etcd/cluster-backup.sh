#!/usr/bin/env bash

### A stand-in for OpenShift's /usr/local/bin/cluster-backup.sh (cluster-etcd-operator) on a test host: the same
### checks, file names, tools (etcdctl, tar) and last line. It lives at <root>/usr/local/bin/cluster-backup.sh and
### works on <root>/etc/kubernetes, so a test lays out a host under a directory of its own instead of system paths.
### Left out: the ClusterOperator "Progressing" checks (no API here) and dl_etcdctl's podman copy (etcdctl is in place).

set -o errexit
set -o pipefail
set -o errtrace

# example
# cluster-backup.sh $path-to-snapshot

if [[ $EUID -ne 0 ]]; then
  echo "This script must be run as root"
  exit 1
fi

function usage {
  echo 'Path to backup dir required: ./cluster-backup.sh [--force] <path-to-backup-dir>'
  exit 1
}

IS_DIRTY=""
if [ "$1" == "--force" ]; then
  IS_DIRTY="__POSSIBLY_DIRTY__"
  shift
fi

# If the first argument is missing, or it is an existing file, then print usage and exit
if [ -z "$1" ] || [ -f "$1" ]; then
  usage
fi

if [ ! -d "$1" ]; then
  mkdir -p "$1"
fi

# The test host's /etc/kubernetes, relative to where this script is installed.
HOST_ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CONFIG_FILE_DIR="${HOST_ROOT}/etc/kubernetes"

# backup latest static pod resources
function backup_latest_kube_static_resources {
  RESOURCES=("$@")

  LATEST_RESOURCE_DIRS=()
  for RESOURCE in "${RESOURCES[@]}"; do
    # shellcheck disable=SC2012
    LATEST_RESOURCE=$(ls -trd "${CONFIG_FILE_DIR}"/static-pod-resources/"${RESOURCE}"-[0-9]* | tail -1) || true
    if [ -z "$LATEST_RESOURCE" ]; then
      echo "error finding static-pod-resource ${RESOURCE}"
      exit 1
    fi

    echo "found latest ${RESOURCE}: ${LATEST_RESOURCE}"
    LATEST_RESOURCE_DIRS+=("${LATEST_RESOURCE#${CONFIG_FILE_DIR}/}")
  done

  # tar latest resources with the path relative to CONFIG_FILE_DIR
  tar -cpzf "$BACKUP_TAR_FILE" -C "${CONFIG_FILE_DIR}" "${LATEST_RESOURCE_DIRS[@]}"
  chmod 600 "$BACKUP_TAR_FILE"
}

function source_required_dependency {
  local path="$1"
  if [ ! -f "${path}" ]; then
    echo "required dependencies not found, please ensure this script is run on a node with a functional etcd static pod"
    exit 1
  fi
  # shellcheck disable=SC1090
  source "${path}"
}

BACKUP_DIR="$1"
DATESTRING=$(date "+%F_%H%M%S")
BACKUP_TAR_FILE=${BACKUP_DIR}/static_kuberesources_${DATESTRING}${IS_DIRTY}.tar.gz
SNAPSHOT_FILE="${BACKUP_DIR}/snapshot_${DATESTRING}${IS_DIRTY}.db"
BACKUP_RESOURCE_LIST=("kube-apiserver-pod" "kube-controller-manager-pod" "kube-scheduler-pod" "etcd-pod")

trap 'rm -f ${BACKUP_TAR_FILE} ${SNAPSHOT_FILE}' ERR

# etcd.env names the local member's endpoint (ETCDCTL_ENDPOINTS) and the API version.
source_required_dependency "${CONFIG_FILE_DIR}/static-pod-resources/etcd-certs/configmaps/etcd-scripts/etcd.env"

# dl_etcdctl: the binary is already where the real script caches it.
if [ ! -x "${CONFIG_FILE_DIR}/static-pod-resources/bin/etcdctl" ]; then
  echo "required dependencies not found, please ensure this script is run on a node with a functional etcd static pod"
  exit 1
fi
echo "etcdctl is already installed"
export PATH="${CONFIG_FILE_DIR}/static-pod-resources/bin:${PATH}"

backup_latest_kube_static_resources "${BACKUP_RESOURCE_LIST[@]}"
etcdctl snapshot save "${SNAPSHOT_FILE}"

# Check the integrity of the snapshot
etcdctl snapshot status "${SNAPSHOT_FILE}" -w json

echo "snapshot db and kube resources are successfully saved to ${BACKUP_DIR}"
