"""Terraform against a local moto_server: `terraform plan` of a Terraform export, and optionally `apply`.

Usage: python moto_terraform.py TERRAFORM_RC EXPORT_DIR [--apply] [--save-plan PATH]. Starts moto_server on 127.0.0.1 with a
free port and writes, next to the export, `moto_override.tf`: Terraform merges an `*_override.tf` provider
block into the module's block of the same alias, so every provider of the export (the default one and one
per region) gets fake keys, `skip_credentials_validation`, `skip_requesting_account_id`,
`skip_metadata_api_check`, path-style S3 and every endpoint pointed at moto, without editing the export.
Variables without a default get values (`terraform.tfvars`): for the load balancers' certificates, an ACM
certificate imported into moto in that region; for the others a placeholder of the right shape. Then
`terraform init` (providers from the mirror only, through TERRAFORM_RC) and `terraform plan`, which reads
the data sources (caller identity, partition, policy documents, the AL2023 image parameter) from moto.

With --save-plan, the JSON of `terraform show -json` of the plan is also written to PATH, indented, as the
import's fixture (`scripts/make-plan-fixture.sh`).

With --apply, `terraform apply` of the plan restricted with `-target` to the resources of the types in
APPLIED: the types an apply of the reference example on moto 5 creates and reads back as the provider expects
(network and flow logs, keys, buckets with versioning, lifecycle, encryption, policies, roles, log groups,
topics and queues, ECS clusters and task definitions, load balancers with listeners and target groups, hosted
zones, subnet groups). The script prints what was applied and what was left out, then checks with boto3 that
moto holds what the state says. Left out: S3 access logging (moto accepts a logging target only with ACL
grants to the log-delivery group, not the bucket policy for `logging.s3.amazonaws.com` that AWS accepts and
the export writes), and every other type (CloudFront, DynamoDB global tables, S3 replication, ECS services,
ElastiCache replication groups, Route 53 records and health checks, alarms): an apply of every resource of the
reference example on moto did not finish within 20 minutes (the provider waits for resources moto never
reports ready), so those are covered by `terraform validate` and the plan only. moto's AWS managed policies
are loaded (`MOTO_IAM_LOAD_MANAGED_POLICIES`) so that roles can attach them.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3

# Resource types applied to moto: created by moto as the provider expects them back.
APPLIED = {
    "aws_kms_key", "aws_kms_alias", "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_route_table",
    "aws_route_table_association", "aws_default_security_group", "aws_security_group", "aws_s3_bucket",
    "aws_s3_bucket_policy", "aws_s3_bucket_public_access_block", "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_iam_role", "aws_iam_role_policy",
    "aws_iam_role_policy_attachment", "aws_sns_topic", "aws_sqs_queue", "aws_sqs_queue_policy",
    "aws_cloudwatch_log_group", "aws_ecs_cluster", "aws_ecs_task_definition", "aws_lb", "aws_lb_target_group",
    "aws_lb_listener", "aws_route53_zone", "aws_elasticache_subnet_group", "aws_db_subnet_group",
    "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration", "aws_flow_log",
}

# What moto holds after apply, by type: (boto3 client, call, path to the list, key of the name).
CHECKS = {
    "aws_vpc": ("ec2", "describe_vpcs", "Vpcs"),
    "aws_s3_bucket": ("s3", "list_buckets", "Buckets"),
    "aws_kms_key": ("kms", "list_keys", "Keys"),
    "aws_lb": ("elbv2", "describe_load_balancers", "LoadBalancers"),
    "aws_ecs_cluster": ("ecs", "list_clusters", "clusterArns"),
    "aws_sns_topic": ("sns", "list_topics", "Topics"),
}

ENDPOINTS = [
    "acm", "apigateway", "apigatewayv2", "autoscaling", "backup", "cloudfront", "cloudtrail", "cloudwatch",
    "configservice", "directconnect", "dms", "dynamodb", "ec2", "ecs", "eks", "elasticache", "elbv2", "events",
    "globalaccelerator", "iam", "kms", "lambda", "logs", "rds", "route53", "s3", "sagemaker", "secretsmanager",
    "sfn", "sns", "sqs", "ssm", "sts", "xray",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    port = free_port()
    server = Path(sys.executable).parent / "moto_server"
    # AWS managed policies (AmazonECSTaskExecutionRolePolicy, ...) exist in moto only when loaded.
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("moto_server did not start")


def providers(folder):
    """(alias or None, region) of every provider block of the export."""
    text = (folder / "providers.tf").read_text()
    out = []
    for block in re.findall(r'provider "aws" \{(.*?)\n\}', text, re.S):
        alias = re.search(r'alias\s*=\s*"([^"]+)"', block)
        region = re.search(r'region\s*=\s*"([^"]+)"', block).group(1)
        out.append((alias.group(1) if alias else None, region))
    return out


def override(folder, url):
    blocks = []
    for alias, _ in providers(folder):
        lines = ['provider "aws" {']
        if alias:
            lines.append(f'  alias = "{alias}"')
        lines += ['  access_key = "testing"', '  secret_key = "testing"', "  skip_credentials_validation = true",
                  "  skip_requesting_account_id = true", "  skip_metadata_api_check = true", "  s3_use_path_style = true",
                  "  endpoints {"]
        lines += [f'    {e} = "{url}"' for e in ENDPOINTS]
        lines += ["  }", "}"]
        blocks.append("\n".join(lines))
    (folder / "moto_override.tf").write_text("\n\n".join(blocks) + "\n")


def client(service, region, url):
    return boto3.client(service, region_name=region, endpoint_url=url, aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def certificate(region, url):
    """An ACM certificate imported into moto (a self-signed one made with openssl)."""
    key = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "/dev/stdout",
                          "-out", "/dev/stdout", "-days", "2", "-subj", "/CN=example.com"], capture_output=True, check=True).stdout
    text = key.decode()
    cert = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S).group(0)
    pkey = re.search(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----", text, re.S).group(0)
    return client("acm", region, url).import_certificate(Certificate=cert.encode(), PrivateKey=pkey.encode())["CertificateArn"]


def tfvars(folder, url):
    """Values of the variables without a default."""
    regions = {alias: region for alias, region in providers(folder) if alias}
    lines = []
    for name, body in re.findall(r'variable "([^"]+)" \{(.*?)\n\}', (folder / "variables.tf").read_text(), re.S):
        if "default" in body:
            continue
        if name.startswith("certificate_arn_"):
            value = certificate(regions[name[len("certificate_arn_"):]], url)
        elif name.endswith("_customer_ip"):
            value = "203.0.113.10"
        elif name.endswith("_model_image"):
            value = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest"
        else:
            value = "placeholder"
        lines.append(f'{name} = "{value}"')
    (folder / "terraform.tfvars").write_text("\n".join(lines) + "\n")


def terraform(folder, rc, *args):
    env = dict(os.environ, TF_CLI_CONFIG_FILE=str(rc), TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    env.pop("TF_DATA_DIR", None)
    try:
        out = subprocess.run(["terraform", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=1200)
    except subprocess.TimeoutExpired:
        sys.exit(f"terraform {args[0]} did not finish within 20 minutes")
    if out.returncode != 0:
        sys.exit(f"terraform {args[0]} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


def main():
    rc, folder = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    apply = "--apply" in sys.argv[3:]
    proc, url = start_moto()
    try:
        override(folder, url)
        tfvars(folder, url)
        terraform(folder, rc, "init", "-input=false", "-backend=false", "-no-color")
        terraform(folder, rc, "plan", "-input=false", "-lock=false", "-no-color", "-out=moto.tfplan")
        planned = json.loads(terraform(folder, rc, "show", "-json", "moto.tfplan"))
        if "--save-plan" in sys.argv[3:]:
            out = Path(sys.argv[sys.argv.index("--save-plan") + 1])
            out.write_text(json.dumps(planned, indent=1, sort_keys=True) + "\n")
        addresses = [c["address"] for c in planned.get("resource_changes", []) if c["mode"] == "managed"]
        print(f"plan: {len(addresses)} resources to create")
        if not apply:
            return
        everything = os.environ.get("MOTO_APPLY_ALL") == "1"
        targets = [a for a in addresses if everything or a.split("[")[0].split(".")[0] in APPLIED]
        left = sorted(set(addresses) - set(targets))
        terraform(folder, rc, "apply", "-input=false", "-lock=false", "-no-color", "-auto-approve",
                  *[f"-target={t}" for t in targets])
        state = json.loads(terraform(folder, rc, "show", "-json"))
        applied = {r["address"] for r in state.get("values", {}).get("root_module", {}).get("resources", []) if r["mode"] == "managed"}
        missing = [t for t in targets if t not in applied]
        if missing:
            sys.exit(f"apply did not create: {missing}")
        print(f"applied {len(applied)} resources: {', '.join(sorted(applied))}")
        print(f"left out (types outside APPLIED, see the module comment): {', '.join(left)}")
        regions = sorted({region for _, region in providers(folder)})
        for ty, (service, call, key) in CHECKS.items():
            want = len([a for a in applied if a.startswith(f"{ty}.")])
            # S3 lists every region's buckets at once.
            listed = regions[:1] if service == "s3" else regions
            have = sum(len(getattr(client(service, region, url), call)()[key]) for region in listed)
            if have < want:
                sys.exit(f"moto holds {have} {ty}, the state {want}")
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    main()
