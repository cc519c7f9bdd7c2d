#!/usr/bin/env bash
# Installs the external tools some tests run (validators nobody here wrote) into .tools/, idempotently.
# Python tools go into the virtual environment .tools/venv; npm tools into .tools/node.
# Tests find them there and fail with a clear message naming this script when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
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
