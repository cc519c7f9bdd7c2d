"""Deploy the exported FIS experiment templates to a local moto_server.

Usage: python moto_fis.py EXPORT_DIR. Starts moto_server on 127.0.0.1 with a free port and, for each
AWS::FIS::ExperimentTemplate of each experiments-*.yaml, calls CreateExperimentTemplate with the
template's properties as the API takes them (CloudFormation's PascalCase keys in camelCase), the
stack's parameters and attributes resolved to placeholder values (the role's ARN, the alarms' ARNs
and the ECS names are the infrastructure stack's outputs, which do not exist here). It then reads
each template back with GetExperimentTemplate and checks that its actions, their targets and the
targets' resource types, tags, filters and parameters are what the file says. moto (5.2) stores
and returns experiment templates without checking actions or targets against AWS's catalogue:
this shows the file is a well-formed CreateExperimentTemplate request, not that AWS would accept
every action, filter or parameter (cfn-lint checks the schema; `docs` cite the rest).
Prints one line per template: `created NAME (N actions, M targets)`.
"""
import json
import re
import sys
from pathlib import Path

import boto3
import yaml

import moto_local


class Loader(yaml.SafeLoader):
    """YAML as CloudFormation reads it: `2012-10-17` is a string, not a date."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

ACCOUNT = "123456789012"


def resolve(v, region):
    """The value with Ref, Fn::GetAtt and Fn::Sub replaced by placeholders of the right shape."""
    if isinstance(v, dict):
        if set(v) == {"Ref"}:
            name = v["Ref"]
            if name == "AWS::Region":
                return region
            if name == "AWS::AccountId":
                return ACCOUNT
            if name.endswith("Arn"):
                return f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}"
            return f"placeholder-{name}"
        if set(v) == {"Fn::GetAtt"}:
            return f"arn:aws:iam::{ACCOUNT}:role/{v['Fn::GetAtt'][0]}"
        if set(v) == {"Fn::Sub"}:
            text = v["Fn::Sub"]
            subs = {"AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": ACCOUNT}
            return re.sub(r"\$\{([\w:]+)\}", lambda m: subs.get(m.group(1), "placeholder"), text)
        return {k: resolve(x, region) for k, x in v.items()}
    if isinstance(v, list):
        return [resolve(x, region) for x in v]
    return v


def camel(key):
    return key[:1].lower() + key[1:]


def target(t):
    out = {"resourceType": t["ResourceType"], "selectionMode": t["SelectionMode"]}
    if "ResourceTags" in t:
        out["resourceTags"] = t["ResourceTags"]
    if "ResourceArns" in t:
        out["resourceArns"] = t["ResourceArns"]
    if "Filters" in t:
        out["filters"] = [{"path": f["Path"], "values": f["Values"]} for f in t["Filters"]]
    if "Parameters" in t:
        out["parameters"] = t["Parameters"]
    return out


def action(a):
    out = {"actionId": a["ActionId"]}
    for k in ("Parameters", "Targets", "StartAfter", "Description"):
        if k in a:
            out[camel(k)] = a[k]
    return out


def request(props, name, region):
    """CreateExperimentTemplate's request from the resource's (resolved) properties."""
    tags = props.get("Tags", {})
    return {
        "clientToken": f"meridian-{name}-{region}",
        "description": props["Description"],
        "roleArn": props["RoleArn"],
        "stopConditions": [{"source": s["Source"], **({"value": s["Value"]} if "Value" in s else {})} for s in props["StopConditions"]],
        "targets": {k: target(t) for k, t in props["Targets"].items()},
        "actions": {k: action(a) for k, a in props["Actions"].items()},
        "tags": tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags},
    }


def main(folder):
    with moto_local.server() as port:
        env = dict(aws_access_key_id="testing", aws_secret_access_key="testing", endpoint_url=f"http://127.0.0.1:{port}")
        files = sorted(Path(folder).glob("experiments-*.yaml"))
        assert files, "no experiments-*.yaml"
        for path in files:
            region = path.stem[len("experiments-"):]
            fis = boto3.client("fis", region_name=region, **env)
            doc = yaml.load(path.read_text(), Loader=Loader)
            for name, res in doc["Resources"].items():
                if res["Type"] != "AWS::FIS::ExperimentTemplate":
                    continue
                req = request(resolve(res["Properties"], region), name, region)
                made = fis.create_experiment_template(**req)["experimentTemplate"]
                back = fis.get_experiment_template(id=made["id"])["experimentTemplate"]
                assert set(back["actions"]) == set(req["actions"]), f"{name}: actions {back['actions']}"
                for k, a in req["actions"].items():
                    assert back["actions"][k]["actionId"] == a["actionId"], f"{name}: {k}"
                    assert back["actions"][k].get("targets", {}) == a.get("targets", {}), f"{name}: {k} targets"
                    for t in a.get("targets", {}).values():
                        assert t in back["targets"], f"{name}: action {k} names target {t}, which is not defined"
                for k, t in req["targets"].items():
                    got = back["targets"][k]
                    for field in ("resourceType", "resourceTags", "filters", "parameters", "resourceArns", "selectionMode"):
                        assert got.get(field) == t.get(field), f"{name}: target {k} {field}: {got.get(field)} != {t.get(field)}"
                assert back["roleArn"] == req["roleArn"] and back["description"] == req["description"], name
                print(f"created {name} in {region} ({len(req['actions'])} actions, {len(req['targets'])} targets)")


if __name__ == "__main__":
    main(sys.argv[1])
