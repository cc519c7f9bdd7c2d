//! Terraform export of every example and test fixture (`iac/designs/`): snapshots, every file parses back with hcl-edit, every
//! reference resolves, every resource has its provider-required arguments, `=` is aligned as
//! `terraform fmt` aligns it, and the checkov checks the README lists pass.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses most")]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::visit::{Visit, visit_attr, visit_traversal};
use meridian_iac::{ExportBundle, Format};

/// Arguments and blocks the AWS provider requires, per resource or data source type the export
/// writes (from the provider's documentation). A type missing here fails the test, so the table
/// grows with the export.
const REQUIRED: &[(&str, &[&str])] = &[
    ("aws_api_gateway_deployment", &["rest_api_id"]),
    ("aws_api_gateway_integration", &["rest_api_id", "resource_id", "http_method", "type"]),
    ("aws_api_gateway_method", &["rest_api_id", "resource_id", "http_method", "authorization"]),
    ("aws_api_gateway_resource", &["rest_api_id", "parent_id", "path_part"]),
    ("aws_api_gateway_rest_api", &["name"]),
    ("aws_api_gateway_stage", &["rest_api_id", "deployment_id", "stage_name"]),
    ("aws_apigatewayv2_api", &["name", "protocol_type"]),
    ("aws_autoscaling_group", &["max_size", "min_size"]),
    ("aws_backup_plan", &["name", "rule"]),
    ("aws_backup_selection", &["name", "plan_id", "iam_role_arn"]),
    ("aws_backup_vault", &["name"]),
    (
        "aws_cloudfront_distribution",
        &["enabled", "origin", "default_cache_behavior", "restrictions", "viewer_certificate"],
    ),
    (
        "aws_cloudfront_origin_access_control",
        &["name", "origin_access_control_origin_type", "signing_behavior", "signing_protocol"],
    ),
    ("aws_cloudtrail", &["name", "s3_bucket_name"]),
    ("aws_cloudwatch_dashboard", &["dashboard_body", "dashboard_name"]),
    ("aws_cloudwatch_event_bus", &["name"]),
    ("aws_cloudwatch_event_rule", &[]),
    ("aws_cloudwatch_event_target", &["arn", "rule"]),
    ("aws_cloudwatch_log_group", &[]),
    ("aws_cloudwatch_metric_alarm", &["alarm_name", "comparison_operator", "evaluation_periods"]),
    ("aws_config_configuration_recorder", &["role_arn"]),
    ("aws_config_configuration_recorder_status", &["is_enabled", "name"]),
    ("aws_config_delivery_channel", &["s3_bucket_name"]),
    ("aws_customer_gateway", &["type"]),
    ("aws_db_instance", &["instance_class"]),
    ("aws_db_subnet_group", &["subnet_ids"]),
    ("aws_default_security_group", &["vpc_id"]),
    ("aws_dms_replication_instance", &["replication_instance_class", "replication_instance_id"]),
    (
        "aws_dms_replication_subnet_group",
        &["replication_subnet_group_description", "replication_subnet_group_id", "subnet_ids"],
    ),
    ("aws_dx_gateway", &["amazon_side_asn", "name"]),
    ("aws_dynamodb_table", &["name", "hash_key", "attribute"]),
    ("aws_ec2_transit_gateway", &[]),
    ("aws_ec2_transit_gateway_vpc_attachment", &["subnet_ids", "transit_gateway_id", "vpc_id"]),
    ("aws_ecs_cluster", &["name"]),
    ("aws_ecs_service", &["name"]),
    ("aws_ecs_task_definition", &["family", "container_definitions"]),
    (
        "aws_elasticache_global_replication_group",
        &["global_replication_group_id_suffix", "primary_replication_group_id"],
    ),
    ("aws_eip", &[]),
    ("aws_eks_cluster", &["name", "role_arn", "vpc_config"]),
    (
        "aws_eks_fargate_profile",
        &["cluster_name", "fargate_profile_name", "pod_execution_role_arn", "selector"],
    ),
    ("aws_elasticache_replication_group", &["replication_group_id", "description"]),
    ("aws_elasticache_subnet_group", &["name", "subnet_ids"]),
    ("aws_flow_log", &["log_destination", "traffic_type"]),
    ("aws_globalaccelerator_accelerator", &["name"]),
    ("aws_globalaccelerator_endpoint_group", &["listener_arn"]),
    ("aws_globalaccelerator_listener", &["accelerator_arn", "protocol", "port_range"]),
    ("aws_iam_instance_profile", &[]),
    ("aws_iam_role", &["assume_role_policy"]),
    ("aws_iam_role_policy", &["role", "policy"]),
    ("aws_iam_role_policy_attachment", &["role", "policy_arn"]),
    ("aws_internet_gateway", &[]),
    ("aws_kms_alias", &["target_key_id"]),
    ("aws_kms_key", &[]),
    ("aws_lambda_function", &["function_name", "role"]),
    ("aws_lambda_event_source_mapping", &["function_name"]),
    ("aws_lambda_permission", &["action", "function_name", "principal"]),
    ("aws_launch_template", &[]),
    ("aws_lb", &[]),
    ("aws_lb_listener", &["load_balancer_arn", "default_action"]),
    ("aws_lb_target_group", &["port", "protocol", "vpc_id"]),
    ("aws_nat_gateway", &["subnet_id"]),
    ("aws_rds_cluster", &["engine"]),
    ("aws_rds_cluster_instance", &["cluster_identifier", "instance_class", "engine"]),
    ("aws_rds_global_cluster", &["global_cluster_identifier"]),
    ("aws_route", &["route_table_id"]),
    ("aws_route53_health_check", &["type"]),
    ("aws_route53_record", &["zone_id", "name", "type"]),
    ("aws_route53_zone", &["name"]),
    ("aws_route_table", &["vpc_id"]),
    ("aws_route_table_association", &["route_table_id"]),
    ("aws_s3_bucket", &[]),
    ("aws_s3_bucket_lifecycle_configuration", &["bucket", "rule"]),
    ("aws_s3_bucket_logging", &["bucket", "target_bucket", "target_prefix"]),
    ("aws_s3_bucket_ownership_controls", &["bucket", "rule"]),
    ("aws_s3_bucket_policy", &["bucket", "policy"]),
    ("aws_s3_bucket_public_access_block", &["bucket"]),
    ("aws_s3_bucket_replication_configuration", &["bucket", "role", "rule"]),
    ("aws_s3_bucket_server_side_encryption_configuration", &["bucket", "rule"]),
    ("aws_s3_bucket_versioning", &["bucket", "versioning_configuration"]),
    ("aws_sagemaker_endpoint", &["endpoint_config_name"]),
    ("aws_sagemaker_endpoint_configuration", &["production_variants"]),
    ("aws_sagemaker_model", &["execution_role_arn"]),
    ("aws_security_group", &["vpc_id"]),
    ("aws_sfn_state_machine", &["definition", "role_arn"]),
    ("aws_sns_topic", &[]),
    ("aws_sns_topic_subscription", &["endpoint", "protocol", "topic_arn"]),
    ("aws_sqs_queue", &[]),
    ("aws_sqs_queue_policy", &["queue_url", "policy"]),
    ("aws_subnet", &["vpc_id"]),
    ("aws_vpc", &["cidr_block"]),
    ("aws_vpn_connection", &["customer_gateway_id", "type"]),
    ("aws_vpn_gateway", &[]),
    ("aws_vpn_gateway_route_propagation", &["route_table_id", "vpn_gateway_id"]),
    // Data sources.
    ("aws_caller_identity", &[]),
    ("aws_iam_policy_document", &[]),
    ("aws_partition", &[]),
    ("aws_ssm_parameter", &["name"]),
];

fn is_tf(path: &str) -> bool {
    std::path::Path::new(path).extension().is_some_and(|e| e == "tf")
}

/// Every `.tf` file of a bundle, parsed with hcl-edit (a parse error names file, line, column).
fn parse(name: &str, bundle: &ExportBundle) -> Vec<(String, Body)> {
    bundle
        .files
        .iter()
        .filter(|f| is_tf(&f.path))
        .map(|f| {
            let body = hcl_edit::parser::parse_body(&f.contents)
                .unwrap_or_else(|e| panic!("{name}/{} does not parse: {e}", f.path));
            (f.path.clone(), body)
        })
        .collect()
}

/// What the module declares.
#[derive(Default)]
struct Declared {
    resources: BTreeSet<String>,
    data: BTreeSet<String>,
    variables: BTreeSet<String>,
    locals: BTreeSet<String>,
    aliases: BTreeSet<String>,
}

fn labels(b: &Block) -> Vec<String> {
    b.labels.iter().map(|l| l.as_str().to_owned()).collect()
}

fn declared(files: &[(String, Body)]) -> Declared {
    let mut d = Declared::default();
    for (_, body) in files {
        for b in body.blocks() {
            let l = labels(b);
            match (b.ident.as_str(), l.as_slice()) {
                ("resource", [kind, name]) => {
                    d.resources.insert(format!("{kind}.{name}"));
                }
                ("data", [kind, name]) => {
                    d.data.insert(format!("{kind}.{name}"));
                }
                ("variable", [name]) => {
                    d.variables.insert(name.clone());
                }
                ("locals", []) => d.locals.extend(b.body.attributes().map(|a| a.key.as_str().to_owned())),
                ("provider", [_]) => {
                    if let Some(a) = b.body.get_attribute("alias") {
                        d.aliases.insert(a.value.as_str().unwrap_or_default().to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    d
}

/// Collects unresolved references.
struct Resolver<'a> {
    declared: &'a Declared,
    unresolved: Vec<String>,
}

impl Visit for Resolver<'_> {
    fn visit_traversal(&mut self, node: &Traversal) {
        let Expression::Variable(root) = &node.expr else { return visit_traversal(self, node) };
        let attrs: Vec<&str> = node
            .operators
            .iter()
            .map_while(|o| match o.value() {
                TraversalOperator::GetAttr(a) => Some(a.as_str()),
                _ => None,
            })
            .collect();
        let root = root.as_str();
        let at = |n: usize| attrs.get(n).copied().unwrap_or_default();
        let ok = match root {
            "var" => self.declared.variables.contains(at(0)),
            "local" => self.declared.locals.contains(at(0)),
            "data" => self.declared.data.contains(&format!("{}.{}", at(0), at(1))),
            "aws" => self.declared.aliases.contains(at(0)),
            "count" | "path" | "each" | "self" | "terraform" => true,
            kind => self.declared.resources.contains(&format!("{kind}.{}", at(0))),
        };
        if !ok {
            self.unresolved.push(format!("{root}.{}", attrs.join(".")));
        }
        visit_traversal(self, node);
    }

    fn visit_attr(&mut self, node: &hcl_edit::structure::Attribute) {
        visit_attr(self, node);
    }
}

#[test]
fn snapshots_of_every_example() {
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        for f in &bundle.files {
            insta::assert_snapshot!(format!("tf-{name}-{}", f.path), &f.contents);
        }
    }
}

#[test]
fn every_file_parses_and_every_reference_resolves() {
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        let files = parse(&name, &bundle);
        let names: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        for needed in ["versions.tf", "providers.tf", "variables.tf", "outputs.tf"] {
            assert!(names.contains(needed), "{name}: no {needed}");
        }
        for region in common::regions(&path) {
            assert!(names.contains(format!("region-{region}.tf").as_str()), "{name}: no file for {region}");
        }
        let d = declared(&files);
        assert_eq!(
            d.aliases,
            common::regions(&path).iter().map(|r| r.replace('-', "_")).collect(),
            "{name}: one provider alias per region"
        );
        let mut r = Resolver { declared: &d, unresolved: Vec::new() };
        for (_, body) in &files {
            r.visit_body(body);
        }
        assert!(r.unresolved.is_empty(), "{name}: unresolved references {:?}", r.unresolved);
    }
}

#[test]
fn every_resource_has_its_required_arguments_and_a_provider() {
    let required: BTreeMap<&str, &[&str]> = REQUIRED.iter().copied().collect();
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        for (file, body) in parse(&name, &bundle) {
            for b in body.blocks().filter(|b| matches!(b.ident.as_str(), "resource" | "data")) {
                let l = labels(b);
                let kind = l[0].as_str();
                let list = required
                    .get(kind)
                    .unwrap_or_else(|| panic!("{name}/{file}: add {kind} to REQUIRED in this test"));
                for arg in *list {
                    assert!(
                        b.body.has_attribute(arg) || b.body.has_blocks(arg),
                        "{name}/{file}: {kind}.{} lacks {arg}",
                        l[1]
                    );
                }
                if file.starts_with("region-") {
                    let alias = file.trim_start_matches("region-").trim_end_matches(".tf").replace('-', "_");
                    let provider = b.body.get_attribute("provider").map(|a| a.value.to_string());
                    assert_eq!(
                        provider.as_deref().map(str::trim),
                        Some(format!("aws.{alias}").as_str()),
                        "{name}/{file}: {kind}.{} is not on its region's provider",
                        l[1]
                    );
                }
            }
        }
    }
}

/// hclwrite's rule: consecutive lines that each hold a whole `key = value` have their `=` in one column.
#[test]
fn equals_signs_are_aligned_as_terraform_fmt_aligns_them() {
    let assignment = |line: &str| -> Option<usize> {
        let t = line.trim_start();
        if t.starts_with('#') || !t.contains(" = ") {
            return None;
        }
        let key_end = if let Some(q) = t.strip_prefix('"') { q.find('"')? + 2 } else { t.find(' ')? };
        let after = &t[key_end..];
        if !after.trim_start().starts_with("= ") {
            return None;
        }
        let spaces = after.len() - after.trim_start().len();
        let value = &after.trim_start()[2..];
        let mut depth = 0i32;
        let mut in_str = false;
        for c in value.chars() {
            match c {
                '"' => in_str = !in_str,
                '{' | '[' | '(' if !in_str => depth += 1,
                '}' | ']' | ')' if !in_str => depth -= 1,
                _ => {}
            }
        }
        (depth == 0).then_some(line.len() - t.len() + key_end + spaces)
    };
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        for f in bundle.files.iter().filter(|f| is_tf(&f.path)) {
            let columns: Vec<Option<usize>> = f.contents.lines().map(assignment).collect();
            let mut aligned_runs = 0;
            for run in columns.split(Option::is_none).filter(|r| r.len() > 1) {
                assert!(
                    run.windows(2).all(|w| w[0] == w[1]),
                    "{name}/{}: a run of assignments is not aligned: {run:?}",
                    f.path
                );
                aligned_runs += 1;
            }
            assert!(
                aligned_runs > 0 || f.contents.lines().count() < 5,
                "{name}/{}: nothing to align?",
                f.path
            );
        }
    }
}

#[test]
fn residency_rule_removes_the_replica_and_the_skip_is_written_in_the_bucket() {
    let path = common::root().join("examples/gdpr-eu-residency.ron");
    let strict = meridian_model::compliance::Policy::pack("gdpr-strict").unwrap().unwrap();
    let bundle = common::export_example(&path, &[strict], Format::Terraform);
    assert!(bundle.warnings.iter().any(|w| w.contains("customers-to-us")), "{:?}", bundle.warnings);
    for f in bundle.files.iter().filter(|f| f.path.starts_with("region-eu")) {
        assert!(
            !f.contents.contains("region_name = \"us-east-1\""),
            "{} still replicates to us-east-1",
            f.path
        );
    }
    let skipped: Vec<_> = bundle.skipped_checks.iter().filter(|s| s.check == "CKV_AWS_144").collect();
    assert!(!skipped.is_empty());
    let all: String = bundle.files.iter().map(|f| f.contents.as_str()).collect();
    for s in skipped {
        assert!(
            all.contains(&format!("#checkov:skip=CKV_AWS_144:{}", s.reason)),
            "no skip comment for {}",
            s.resource
        );
    }
    let deploy = bundle.files.iter().find(|f| f.path == "DEPLOY.md").unwrap();
    assert!(deploy.contents.contains("terraform init") && deploy.contents.contains("terraform apply"));
}

#[test]
fn hashicorp_hcl_parser_accepts_every_file() {
    let node_modules = common::root().join(".tools/node/node_modules");
    assert!(
        node_modules.join("@cdktf/hcl2json").is_dir(),
        "@cdktf/hcl2json is missing: run scripts/install-tools.sh (scripts/test.sh does)"
    );
    let script = common::root().join("iac/tests/iac/hcl2json.js");
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        let dir = common::write(&bundle);
        let files: Vec<_> =
            bundle.files.iter().filter(|f| is_tf(&f.path)).map(|f| dir.path().join(&f.path)).collect();
        let out = std::process::Command::new("node")
            .env("NODE_PATH", &node_modules)
            .arg(&script)
            .args(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: hcl2json rejects the export:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn checkov_checks_listed_in_readme_pass() {
    let listed = common::readme_checks("terraform");
    let mut passed_somewhere = BTreeSet::new();
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        let dir = common::write(&bundle);
        let report = common::checkov(dir.path(), "terraform");
        assert_eq!(report["summary"]["parsing_errors"], 0, "{name}: checkov could not parse the export");
        for f in report["results"]["failed_checks"].as_array().unwrap() {
            let id = f["check_id"].as_str().unwrap();
            assert!(!listed.iter().any(|l| l == id), "{name}: {id} fails on {}", f["resource"]);
        }
        for p in report["results"]["passed_checks"].as_array().unwrap() {
            passed_somewhere.insert(p["check_id"].as_str().unwrap().to_owned());
        }
    }
    for id in listed {
        assert!(
            passed_somewhere.contains(&id),
            "README lists {id}, which checkov never evaluates on the exports"
        );
    }
}

#[test]
fn replication_lag_and_target_health_have_alarms() {
    common::assert_lag_alarms(Format::Terraform, |r| format!("region-{r}.tf"));
}

#[test]
fn elasticache_replication_becomes_a_global_datastore() {
    let path = common::root().join("iac/tests/iac/designs/global-cache.ron");
    let bundle = common::export_example(&path, &[], Format::Terraform);
    assert!(!bundle.warnings.iter().any(|w| w.contains("sessions-repl")), "{:?}", bundle.warnings);
    let files = parse("global-cache", &bundle);
    let block = |file: &str, kind: &str, name: &str| -> Block {
        let (_, body) = files.iter().find(|(p, _)| p == file).unwrap();
        body.blocks()
            .find(|b| b.ident.as_str() == "resource" && labels(b) == [kind, name])
            .unwrap_or_else(|| panic!("{file} has no {kind}.{name}"))
            .clone()
    };
    let attr =
        |b: &Block, name: &str| b.body.get_attribute(name).map(|a| a.value.to_string().trim().to_owned());
    let global = block("region-us-east-1.tf", "aws_elasticache_global_replication_group", "cache_use1");
    assert_eq!(attr(&global, "provider").as_deref(), Some("aws.us_east_1"));
    assert_eq!(
        attr(&global, "primary_replication_group_id").as_deref(),
        Some("aws_elasticache_replication_group.cache_use1.id")
    );
    let primary = block("region-us-east-1.tf", "aws_elasticache_replication_group", "cache_use1");
    for (k, v) in [("at_rest_encryption_enabled", "true"), ("transit_encryption_enabled", "true")] {
        assert_eq!(attr(&primary, k).as_deref(), Some(v));
    }
    assert_eq!(attr(&primary, "kms_key_id").as_deref(), Some("aws_kms_key.us_east_1.arn"));
    let secondary = block("region-eu-west-1.tf", "aws_elasticache_replication_group", "cache_euw1");
    assert_eq!(attr(&secondary, "provider").as_deref(), Some("aws.eu_west_1"));
    assert_eq!(
        attr(&secondary, "global_replication_group_id").as_deref(),
        Some("aws_elasticache_global_replication_group.cache_use1.global_replication_group_id")
    );
    // The provider rejects these on a secondary (ConflictsWith global_replication_group_id).
    for inherited in [
        "engine",
        "engine_version",
        "node_type",
        "num_node_groups",
        "parameter_group_name",
        "at_rest_encryption_enabled",
        "transit_encryption_enabled",
    ] {
        assert!(attr(&secondary, inherited).is_none(), "the secondary sets {inherited}");
    }
    assert_eq!(attr(&secondary, "kms_key_id").as_deref(), Some("aws_kms_key.eu_west_1.arn"));
    assert_eq!(attr(&secondary, "num_cache_clusters").as_deref(), Some("2"));
    let all: String = bundle.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(all.contains("#checkov:skip=CKV_AWS_29:inherited from Global Datastore cache-use1"));
}

#[test]
fn auto_scaling_group_behind_its_load_balancer() {
    let path = common::root().join("iac/tests/iac/designs/web-asg.ron");
    let bundle = common::export_example(&path, &[], Format::Terraform);
    assert!(bundle.warnings.is_empty(), "{:?}", bundle.warnings);
    let files = parse("web-asg", &bundle);
    let (_, body) = files.iter().find(|(p, _)| p == "region-us-east-1.tf").unwrap();
    let source = &bundle.files.iter().find(|f| f.path == "region-us-east-1.tf").unwrap().contents;
    let text_of = |kind: &str, name: &str| -> String {
        let start = source.find(&format!("resource \"{kind}\" \"{name}\" {{")).unwrap();
        let end = start + source[start..].find("\n}\n").unwrap();
        source[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let block = |ident: &str, kind: &str, name: &str| -> Block {
        body.blocks()
            .find(|b| b.ident.as_str() == ident && labels(b) == [kind, name])
            .unwrap_or_else(|| panic!("no {ident} {kind}.{name}"))
            .clone()
    };
    let attr =
        |b: &Block, name: &str| b.body.get_attribute(name).map(|a| a.value.to_string().trim().to_owned());
    let ami = block("data", "aws_ssm_parameter", "web_ami");
    assert_eq!(
        attr(&ami, "name").as_deref(),
        Some("\"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64\"")
    );
    let lt = block("resource", "aws_launch_template", "web");
    assert_eq!(attr(&lt, "image_id").as_deref(), Some("data.aws_ssm_parameter.web_ami.insecure_value"));
    let text = text_of("aws_launch_template", "web");
    for needle in [
        "http_tokens = \"required\"",
        "associate_public_ip_address = false",
        "security_groups = [aws_security_group.web.id]",
        "encrypted = true",
        "arn = aws_iam_instance_profile.web.arn",
    ] {
        assert!(text.contains(needle), "launch template lacks {needle}: {text}");
    }
    let asg = block("resource", "aws_autoscaling_group", "web");
    for (k, v) in [
        ("min_size", "3"),
        ("desired_capacity", "3"),
        ("max_size", "6"),
        ("health_check_type", "\"ELB\""),
        ("target_group_arns", "[aws_lb_target_group.alb_to_web.arn]"),
        ("depends_on", "[aws_lb_listener.alb]"),
    ] {
        assert_eq!(attr(&asg, k).as_deref(), Some(v), "{k}");
    }
    assert!(attr(&asg, "vpc_zone_identifier").unwrap().contains("aws_subnet.us_east_1_private_3.id"));
    let tg = block("resource", "aws_lb_target_group", "alb_to_web");
    assert_eq!(attr(&tg, "target_type").as_deref(), Some("\"instance\""));
    assert_eq!(attr(&tg, "port").as_deref(), Some("8080"));
    let sg = text_of("aws_security_group", "web");
    assert_eq!(sg.matches("ingress {").count(), 1, "open only to the load balancer: {sg}");
    assert!(sg.contains("aws_security_group.alb.id"), "{sg}");
    let profile = block("resource", "aws_iam_instance_profile", "web");
    assert_eq!(attr(&profile, "role").as_deref(), Some("aws_iam_role.web_instance.name"));
}

#[test]
fn consistency_modes_are_written_as_the_pinned_provider_allows() {
    // Provider 5.100's aws_dynamodb_table has no consistency_mode or witness: the export says so.
    let path = common::root().join("iac/tests/iac/designs/consistency-modes.ron");
    let bundle = common::export_example(&path, &[], Format::Terraform);
    let all: String =
        bundle.files.iter().filter(|f| f.path != "DEPLOY.md").map(|f| f.contents.as_str()).collect();
    let forwarding =
        all.lines().filter(|l| l.trim_start().starts_with("enable_global_write_forwarding")).count();
    assert_eq!(forwarding, 1, "only the secondary forwards");
    assert!(
        all.lines().any(|l| l.contains("enable_global_write_forwarding") && l.trim_end().ends_with("= true"))
    );
    assert!(!all.contains("consistency_mode"), "5.100 has no such argument");
    let w = bundle.warnings.iter().find(|w| w.contains("orders-use1")).expect("an MRSC warning");
    assert!(w.contains("strong consistency and witness us-west-2") && w.contains("5.100"), "{w}");
    let deploy = bundle.files.iter().find(|f| f.path == "DEPLOY.md").unwrap();
    assert!(deploy.contents.contains("orders-use1"), "{}", deploy.contents);
}
