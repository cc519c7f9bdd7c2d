#!/usr/bin/env bash
# Installs everything the tests need beyond the Rust toolchain, idempotently (scripts/test.sh runs it):
# - Debian packages, when missing: chromium (app/tests/report.rs renders `meridian report` in it
#   headless), nodejs and npm (the npm tools below, and node runs HashiCorp's HCL parser),
#   python3-venv (the Python tools below). Installed with apt-get when running as root; otherwise
#   the script stops with the command to run.
# - The external validators some tests run (tools nobody here wrote) into .tools/: Python tools in
#   the virtual environment .tools/venv, npm tools in .tools/node. Tests find them there and fail
#   with a clear message naming this script when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Debian packages the tests need: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "error: the tests need Debian packages that are missing: ${missing[*]}" >&2
        echo "       install them (sudo apt-get install -y ${missing[*]}) or run $0 as root" >&2
        exit 1
    fi
fi

mkdir -p .tools

python_tools=(
    # Each line: a pip requirement. Added by the issues that need them.
    "kubernetes-validate==1.37.0"   # validates `meridian batch --emit kubernetes` against the batch/v1 Job schema, offline
    "cfn-lint>=1,<2"                      # lints `meridian export --format cloudformation` templates (0 errors)
    "checkov>=3,<4"                       # security checks listed in README, on both export formats
    "moto[server,cloudformation]>=5,<6"   # deploy smoke test: create_stack on a local moto_server
    "boto3>=1.34"                         # the smoke test's client
)
npm_tools=(
    # Each line: an npm package. Added by the issues that need them.
    "@microsoft/sarif-multitool@5"   # `sarif validate`: checks `meridian check --format sarif` (data-law compliance)
    "@cdktf/hcl2json@0.21"           # HashiCorp's HCL parser (WASM): parses `meridian export --format terraform` files
)

if [ ${#python_tools[@]} -gt 0 ]; then
    [ -x .tools/venv/bin/python ] || python3 -m venv .tools/venv
    stamp=".tools/venv/.installed-$(printf '%s\n' "${python_tools[@]}" | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        .tools/venv/bin/pip install --quiet --disable-pip-version-check "${python_tools[@]}"
        touch "$stamp"
    fi
fi

if [ ${#npm_tools[@]} -gt 0 ]; then
    mkdir -p .tools/node
    stamp=".tools/node/.installed-$(printf '%s\n' "${npm_tools[@]}" | sha256sum | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        (cd .tools/node && npm install --silent --no-audit --no-fund --prefix . "${npm_tools[@]}")
        touch "$stamp"
    fi
fi

# Terraform (in the machine image) and the AWS provider's filesystem mirror (also in the image: nothing
# is downloaded). iac/tests/iac_terraform_validate.rs points TF_CLI_CONFIG_FILE at .tools/terraform.rc,
# which installs providers from the mirror only. Searched once; again when the mirror has moved.
tf_rc=.tools/terraform.rc
mirror=""
[ -f "$tf_rc" ] && mirror=$(sed -n 's/^ *path *= *"\(.*\)"$/\1/p' "$tf_rc" | head -n1)
if [ -z "$mirror" ] || [ ! -d "$mirror/registry.terraform.io/hashicorp/aws" ]; then
    plugin=$(find / -name 'terraform-provider-aws_*' -not -path '/proc/*' 2>/dev/null | head -n1 || true)
    mirror=${plugin%%/registry.terraform.io/*}
    if [ -z "$plugin" ] || [ "$mirror" = "$plugin" ]; then
        echo "warning: no filesystem mirror of the Terraform AWS provider found (registry.terraform.io/hashicorp/aws/...);" >&2
        echo "         the terraform validate test will fail until one is installed" >&2
        mirror=""
    fi
    if [ -n "$mirror" ]; then
        cat > "$tf_rc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
RC
    fi
fi
command -v terraform >/dev/null 2>&1 || echo "warning: terraform is not installed; the terraform validate test will fail" >&2
