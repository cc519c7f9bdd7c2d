"""Deploy smoke test: create every regional CloudFormation stack of an export on a local moto_server.

Usage: python moto_deploy.py EXPORT_DIR. Starts moto_server on 127.0.0.1 with a free port, creates an
ACM certificate per region for the load balancers, creates each region-*.yaml stack, waits for
CREATE_COMPLETE and checks that the resources of types moto implements exist. moto skips
AWS::DynamoDB::GlobalTable and ignores S3 replication; cfn-lint and the snapshots cover those.
moto's CloudFormation cannot create Aurora clusters (AWS::RDS::DBCluster, its instances and
AWS::RDS::GlobalCluster), so those resources are taken out before the stack is created and every
reference to them is replaced by a placeholder string. moto models every load balancer made by
CloudFormation as an Application Load Balancer, so Network Load Balancer TLS listeners are created
as HTTPS. moto ignores S3 versioning set by CloudFormation, so versioning is left to checkov. The
rest of the template deploys as written.
"""
import json
import re
import sys
import time
from pathlib import Path

import boto3
import yaml

import moto_local

# Types whose resources this test looks up with the service's own API after the stack completes.
CHECKED = {"AWS::S3::Bucket", "AWS::EC2::VPC", "AWS::SQS::Queue", "AWS::KMS::Key", "AWS::ECS::Cluster",
           "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::Lambda::Function", "AWS::SNS::Topic"}


# Types moto's CloudFormation cannot create (see the module comment).
UNSUPPORTED = {"AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::RDS::GlobalCluster"}


class Loader(yaml.SafeLoader):
    """YAML as CloudFormation reads it: `2012-10-17` is a string, not a date."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def without_unsupported(doc):
    """The template without UNSUPPORTED resources, references to them replaced by placeholders."""
    gone = {k for k, v in doc["Resources"].items() if v["Type"] in UNSUPPORTED}

    def walk(v):
        if isinstance(v, dict):
            if set(v) == {"Ref"} and v["Ref"] in gone:
                return "placeholder-" + v["Ref"]
            if set(v) == {"Fn::GetAtt"} and v["Fn::GetAtt"][0] in gone:
                return "placeholder-" + v["Fn::GetAtt"][0]
            if set(v) == {"Fn::Sub"} and isinstance(v["Fn::Sub"], str):
                text = re.sub(r"\$\{(\w+)(\.[\w.]+)?\}", lambda m: "placeholder" if m.group(1) in gone else m.group(0), v["Fn::Sub"])
                return {"Fn::Sub": text}
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    doc = walk(doc)
    for v in doc["Resources"].values():
        if v["Type"] == "AWS::ElasticLoadBalancingV2::Listener" and v["Properties"].get("Protocol") == "TLS":
            v["Properties"]["Protocol"] = "HTTPS"
    doc["Resources"] = {k: v for k, v in doc["Resources"].items() if k not in gone}
    for k, v in doc["Resources"].items():
        if isinstance(v.get("DependsOn"), list):
            v["DependsOn"] = [d for d in v["DependsOn"] if d not in gone]
    doc["Outputs"] = {k: v for k, v in doc.get("Outputs", {}).items() if "placeholder" not in json.dumps(v)}
    return doc


def main(folder):
    with moto_local.server() as port:
        endpoint = f"http://127.0.0.1:{port}"
        env = dict(aws_access_key_id="testing", aws_secret_access_key="testing", endpoint_url=endpoint)
        templates = sorted(Path(folder).glob("region-*.yaml"))
        assert templates, "no regional templates"
        for path in templates:
            region = path.stem[len("region-"):]
            doc = without_unsupported(yaml.load(path.read_text(), Loader=Loader))
            body = json.dumps(doc)
            cfn = boto3.client("cloudformation", region_name=region, **env)
            params = []
            if "CertificateArn" in doc.get("Parameters", {}):
                acm = boto3.client("acm", region_name=region, **env)
                arn = acm.request_certificate(DomainName="app.example.com")["CertificateArn"]
                params.append({"ParameterKey": "CertificateArn", "ParameterValue": arn})
            name = "smoke-" + region
            cfn.create_stack(StackName=name, TemplateBody=body, Parameters=params, Capabilities=["CAPABILITY_IAM"])
            status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
            for _ in range(100):
                if not status.endswith("IN_PROGRESS"):
                    break
                time.sleep(0.2)
                status = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
            assert status == "CREATE_COMPLETE", f"{path.name}: {status}: {cfn.describe_stack_events(StackName=name)['StackEvents'][:3]}"
            created = {r["LogicalResourceId"]: r for r in cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]}
            for logical, res in doc["Resources"].items():
                if res["Type"] not in CHECKED:
                    continue
                assert logical in created, f"{path.name}: {logical} ({res['Type']}) was not created"
                check(res["Type"], created[logical]["PhysicalResourceId"], region, env, path.name, logical)
            print(f"{path.name}: CREATE_COMPLETE, {len(created)} resources")


def check(kind, physical, region, env, file, logical):
    """Looks the resource up with its service's API."""
    c = lambda name: boto3.client(name, region_name=region, **env)
    if kind == "AWS::S3::Bucket":
        c("s3").head_bucket(Bucket=physical)
        enc = c("s3").get_bucket_encryption(Bucket=physical)
        assert enc["ServerSideEncryptionConfiguration"]["Rules"], f"{file}: {logical} is not encrypted"
    elif kind == "AWS::EC2::VPC":
        assert c("ec2").describe_vpcs(VpcIds=[physical])["Vpcs"]
    elif kind == "AWS::SQS::Queue":
        attrs = c("sqs").get_queue_attributes(QueueUrl=physical, AttributeNames=["All"])["Attributes"]
        assert "KmsMasterKeyId" in attrs, f"{file}: {logical} is not encrypted with KMS"
    elif kind == "AWS::KMS::Key":
        keys = c("kms").list_keys()["Keys"]
        assert any(physical in (k["KeyId"], k["KeyArn"]) for k in keys), f"{file}: {logical} ({physical}) is not a key"
    elif kind == "AWS::ECS::Cluster":
        assert c("ecs").describe_clusters(clusters=[physical])["clusters"]
    elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        assert c("elbv2").describe_load_balancers(LoadBalancerArns=[physical])["LoadBalancers"]
    elif kind == "AWS::Lambda::Function":
        assert c("lambda").get_function(FunctionName=physical)["Configuration"]
    elif kind == "AWS::SNS::Topic":
        assert c("sns").get_topic_attributes(TopicArn=physical)["Attributes"].get("KmsMasterKeyId")


if __name__ == "__main__":
    main(sys.argv[1])
