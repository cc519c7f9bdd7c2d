#!/bin/sh
# Regenerates iac/tests/fixtures/plan-multi-az-single-region.json, the realistic input of
# `meridian import terraform PLAN.json`: exports examples/multi-az-single-region.ron to Terraform
# with the meridian binary built from this source, runs `terraform init` and `terraform plan -out`
# against a local moto server (iac/tests/iac/moto_terraform.py, the same driver as the moto plan
# test, with the provider mirror of .tools/terraform.rc; nothing is downloaded) and saves
# `terraform show -json` of the plan, indented, untrimmed. iac/tests/iac_plan_json.rs imports it
# and compares with importing the exported .tf folder. Run it again when the Terraform export of
# that example changes (the test fails until then). Needs scripts/install-tools.sh first.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=iac/tests/fixtures/plan-multi-az-single-region.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build -q -p meridian
target/debug/meridian export examples/multi-az-single-region.ron --format terraform --out "$work/module"
mkdir -p "$(dirname "$out")"
.tools/venv/bin/python iac/tests/iac/moto_terraform.py .tools/terraform.rc "$work/module" --save-plan "$root/$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
