//! Compute and entry points of a region: load balancers with listeners and target groups, ECS
//! Fargate services, Lambda functions, HTTP APIs, and the least-privilege roles they run as.

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::expr::{ACCOUNT, PARTITION, alias, call, list, tags, tpl, tr};
use super::module::Out;
use super::policy::{Statement, role};
use super::refs::{key_arn, region_of, security_group, subnets};
use crate::plan::{Plan, fargate_size, is_load_balancer};
use crate::rules::{self, TLS_POLICY};
use meridian_model::ServiceKind;
use meridian_model::design::{LinkKind, Service};
use meridian_model::sizing::{self, ApiFlavour};

/// An ALB or NLB, a target group per routing link and a TLS listener.
pub(super) fn load_balancer(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let alb = s.kind == ServiceKind::Alb;
    let vpc = tr(&format!("aws_vpc.{}.id", alias(&region)));
    let mut body = Body::builder()
        .add_attribute(("load_balancer_type", if alb { "application" } else { "network" }))
        .add_attribute(("internal", false))
        .add_attribute(("subnets", subnets(plan, &region, "public")))
        .add_attribute(("security_groups", list(vec![sg])))
        .add_attribute(("enable_deletion_protection", true));
    if alb {
        body = body.add_attribute(("drop_invalid_header_fields", true));
    }
    out.resource("aws_lb", &name, body.add_attribute(("tags", tags(&s.tags))).build());
    let mut groups = Vec::new();
    for l in plan.design.links_from(&s.id).filter(|l| matches!(l.kind, LinkKind::Routing(_))) {
        let tg = format!("{name}_to_{}", plan.names.tf(l.to.as_str()));
        let (interval, threshold) = rules::target_health(l);
        let (port, target_type) = plan.kind_of(&l.to).map_or((443, "ip"), rules::target_group);
        let mut health = Block::builder("health_check")
            .add_attribute(("protocol", if alb { "HTTP" } else { "TCP" }))
            .add_attribute(("interval", interval))
            .add_attribute(("unhealthy_threshold", threshold))
            .add_attribute(("healthy_threshold", threshold));
        if alb {
            health = health.add_attribute(("path", "/health"));
        }
        out.resource(
            "aws_lb_target_group",
            &tg,
            Body::builder()
                .add_attribute(("vpc_id", vpc.clone()))
                .add_attribute(("target_type", target_type))
                .add_attribute(("port", port))
                .add_attribute(("protocol", if alb { "HTTP" } else { "TCP" }))
                .add_block(health.build())
                .add_attribute(("tags", tags(&s.tags)))
                .build(),
        );
        groups.push((tg, rules::weight(l, 999, 1)));
    }
    if groups.is_empty() && !alb {
        let tg = format!("{name}_default");
        out.resource(
            "aws_lb_target_group",
            &tg,
            hcl::body!({
                vpc_id = (vpc)
                target_type = "ip"
                port = 443
                protocol = "TCP"
                tags = (tags(&s.tags))
            }),
        );
        groups.push((tg, 1));
    }
    let action = match groups.as_slice() {
        [] => hcl::block!(default_action {
            type = "fixed-response"
            fixed_response {
                content_type = "text/plain"
                status_code = "503"
            }
        }),
        [(g, _)] => hcl::block!(default_action {
            type = "forward"
            target_group_arn = (tr(&format!("aws_lb_target_group.{g}.arn")))
        }),
        _ => Block::builder("default_action")
            .add_attribute(("type", "forward"))
            .add_block(
                Block::builder("forward")
                    .add_blocks(groups.iter().map(|(g, w)| {
                        hcl::block!(target_group {
                            arn = (tr(&format!("aws_lb_target_group.{g}.arn")))
                            weight = (*w)
                        })
                    }))
                    .build(),
            )
            .build(),
    };
    out.resource(
        "aws_lb_listener",
        &name,
        Body::builder()
            .add_attribute(("load_balancer_arn", tr(&format!("aws_lb.{name}.arn"))))
            .add_attribute(("port", 443))
            .add_attribute(("protocol", if alb { "HTTPS" } else { "TLS" }))
            .add_attribute(("ssl_policy", TLS_POLICY))
            .add_attribute(("certificate_arn", tr(&format!("var.certificate_arn_{}", alias(&region)))))
            .add_block(action)
            .build(),
    );
    out.output(&format!("{name}_dns_name"), "DNS name", tr(&format!("aws_lb.{name}.dns_name")));
    out.output(&format!("{name}_arn"), "ARN", tr(&format!("aws_lb.{name}.arn")));
}

/// IAM statements for the calls a compute service makes to its dependencies.
pub(super) fn dependency_statements(plan: &Plan, s: &Service) -> Vec<Statement> {
    let mut out = Vec::new();
    for a in rules::access(plan, s) {
        let sid = plan.names.cfn(a.link.id.as_str());
        let target = plan.names.tf(a.target.id.as_str());
        let here = plan.region_of(&s.id).map_or("", |r| r.as_str()).to_owned();
        let resources = match a.target.kind {
            ServiceKind::DynamoDb => {
                let table = rules::table_of(plan, &a.target.id);
                let region = plan.region_of(&a.target.id).map_or(here.as_str(), |r| r.as_str());
                let arn =
                    format!("arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/${{var.name_prefix}}-{table}");
                vec![tpl(&arn), tpl(&format!("{arn}/index/*"))]
            }
            ServiceKind::S3 => vec![tpl(&format!("${{aws_s3_bucket.{target}.arn}}/*"))],
            ServiceKind::Sqs => vec![tr(&format!("aws_sqs_queue.{target}.arn"))],
            ServiceKind::Sns => vec![tr(&format!("aws_sns_topic.{target}.arn"))],
            // Functions and state machines by their ARN's parts, not a reference: two that call
            // each other would otherwise make a cycle through their roles.
            ServiceKind::Lambda => vec![tpl(&format!(
                "arn:{PARTITION}:lambda:{here}:{ACCOUNT}:function:${{var.name_prefix}}-{}",
                a.target.id
            ))],
            ServiceKind::StepFunctions => vec![tpl(&format!(
                "arn:{PARTITION}:states:{here}:{ACCOUNT}:stateMachine:${{var.name_prefix}}-{}",
                a.target.id
            ))],
            ServiceKind::EventBridge => vec![tr(&format!("aws_cloudwatch_event_bus.{target}.arn"))],
            ServiceKind::SageMakerEndpoint => vec![tr(&format!("aws_sagemaker_endpoint.{target}.arn"))],
            // `rules::access` grants nothing on these kinds.
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::AwsBackup
            | ServiceKind::AwsConfig
            | ServiceKind::CloudFront
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
            | ServiceKind::Ec2Asg
            | ServiceKind::EcsFargate
            | ServiceKind::Eks
            | ServiceKind::ElastiCache
            | ServiceKind::GlobalAccelerator
            | ServiceKind::Iam
            | ServiceKind::LambdaEdge
            | ServiceKind::NatGateway
            | ServiceKind::Nlb
            | ServiceKind::Rds
            | ServiceKind::Route53
            | ServiceKind::SiteToSiteVpn
            | ServiceKind::TransitGateway => continue,
            ServiceKind::Aurora => vec![tpl(&format!(
                "arn:{PARTITION}:rds-db:{here}:{ACCOUNT}:dbuser:${{aws_rds_cluster.{target}.cluster_resource_id}}/app"
            ))],
        };
        out.push(Statement::allow(&sid, &a.actions).on(resources));
        if a.needs_key {
            out.push(
                Statement::allow(&format!("{sid}Key"), &["kms:Decrypt", "kms:GenerateDataKey"])
                    .on_any()
                    .when(
                        "StringEquals",
                        "kms:ViaService",
                        vec![Expression::from(format!("{}.{here}.amazonaws.com", a.target.kind))],
                    ),
            );
        }
    }
    out
}

pub(super) fn log_group(out: &mut Out, name: &str, log_name: &Expression, s: &Service) {
    let region = region_of_any(s);
    out.resource(
        "aws_cloudwatch_log_group",
        name,
        hcl::body!({
            name = (log_name.clone())
            kms_key_id = (key_arn(&region))
            retention_in_days = (rules::LOG_RETENTION_DAYS)
            tags = (tags(&s.tags))
        }),
    );
}

fn region_of_any(s: &Service) -> meridian_model::ids::RegionId {
    s.placement.region().cloned().unwrap_or_else(|| meridian_model::ids::RegionId::new(""))
}

/// An ECS cluster, task definition and service on Fargate in private subnets.
pub(super) fn fargate(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    out.variable(
        &format!("{name}_image"),
        &format!("Container image of {}", s.name),
        Some("public.ecr.aws/docker/library/nginx:stable"),
    );
    out.resource(
        "aws_ecs_cluster",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            setting {
                name = "containerInsights"
                value = "enabled"
            }
            tags = (tags(&s.tags))
        }),
    );
    log_group(out, &name, &tpl(&format!("/${{var.name_prefix}}/{}", s.id)), s);
    let execution = role(
        out,
        &format!("{name}_execution"),
        "ecs-tasks.amazonaws.com",
        &["service-role/AmazonECSTaskExecutionRolePolicy"],
        Vec::new(),
        &s.tags,
    );
    let task_role = role(
        out,
        &format!("{name}_task"),
        "ecs-tasks.amazonaws.com",
        &[],
        dependency_statements(plan, s),
        &s.tags,
    );
    let (cpu, memory) = fargate_size(s);
    let container = container_definitions(&name, &region);
    out.resource(
        "aws_ecs_task_definition",
        &name,
        hcl::body!({
            family = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            requires_compatibilities = ["FARGATE"]
            network_mode = "awsvpc"
            cpu = (cpu.to_string())
            memory = (memory.to_string())
            execution_role_arn = (execution)
            task_role_arn = (task_role)
            container_definitions = (call("jsonencode", vec![container]))
            tags = (tags(&s.tags))
        }),
    );
    let mut lbs = Vec::new();
    let mut depends = Vec::new();
    let mut callers: Vec<_> = plan
        .design
        .links_to(&s.id)
        .filter(|l| {
            matches!(l.kind, LinkKind::Routing(_)) && plan.kind_of(&l.from).is_some_and(is_load_balancer)
        })
        .map(|l| plan.names.tf(l.from.as_str()))
        .collect();
    callers.sort();
    for lb in &callers {
        lbs.push(hcl::block!(load_balancer {
            container_name = "app"
            container_port = 8080
            target_group_arn = (tr(&format!("aws_lb_target_group.{lb}_to_{name}.arn")))
        }));
        depends.push(tr(&format!("aws_lb_listener.{lb}")));
    }
    let mut body = Body::builder()
        .add_attribute(("name", tpl(&format!("${{var.name_prefix}}-{}", s.id))))
        .add_attribute(("cluster", tr(&format!("aws_ecs_cluster.{name}.id"))))
        .add_attribute(("launch_type", "FARGATE"))
        .add_attribute(("desired_count", s.config.count))
        .add_attribute(("task_definition", tr(&format!("aws_ecs_task_definition.{name}.arn"))))
        .add_attribute(("propagate_tags", "SERVICE"))
        .add_block(hcl::block!(network_configuration {
            assign_public_ip = false
            security_groups = [(sg)]
            subnets = (subnets(plan, &region, "private"))
        }))
        .add_blocks(lbs)
        .add_attribute(("tags", tags(&s.tags)));
    if !depends.is_empty() {
        body = body.add_attribute(("depends_on", list(depends)));
    }
    out.resource("aws_ecs_service", &name, body.build());
}

/// The task's one container (JSON, as ECS takes it): the image variable, read-only root, logs
/// to the service's log group.
fn container_definitions(name: &str, region: &meridian_model::ids::RegionId) -> Expression {
    hcl::expression!([{
        name = "app"
        image = (tr(&format!("var.{name}_image")))
        essential = true
        readonlyRootFilesystem = true
        portMappings = [{ containerPort = 8080, protocol = "tcp" }]
        logConfiguration = {
            logDriver = "awslogs"
            options = {
                "awslogs-group" = (tr(&format!("aws_cloudwatch_log_group.{name}.name")))
                "awslogs-region" = (region.as_str())
                "awslogs-stream-prefix" = "app"
            }
        }
    }])
}

/// A Lambda function in private subnets with placeholder code, its role and log group.
pub(super) fn lambda(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let role_arn = role(
        out,
        &name,
        "lambda.amazonaws.com",
        &["service-role/AWSLambdaVPCAccessExecutionRole"],
        dependency_statements(plan, s).into_iter().chain(super::triggers::statements(plan, s)).collect(),
        &s.tags,
    );
    log_group(out, &name, &tpl(&format!("/aws/lambda/${{var.name_prefix}}-{}", s.id)), s);
    let package = tpl(&format!("${{path.module}}/{}", out.package(&name)));
    let mut body = hcl::body!({
            function_name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            runtime = "python3.13"
            handler = "index.handler"
            role = (role_arn)
            filename = (package.clone())
            source_code_hash = (call("filebase64sha256", vec![package]))
            memory_size = (rules::lambda_memory_mib(s))
            timeout = 30
            kms_key_arn = (key_arn(&region))
            tracing_config { mode = "Active" }
            vpc_config {
                security_group_ids = [(sg)]
                subnet_ids = (subnets(plan, &region, "private"))
            }
            tags = (tags(&s.tags))
            depends_on = [(tr(&format!("aws_cloudwatch_log_group.{name}")))]
    });
    // The reserved concurrency the design declares (the simulation's cap on the function).
    if let Some(reserved) = s.config.concurrency.and_then(|c| c.reserved) {
        body = body
            .into_iter()
            .chain(std::iter::once(hcl::Attribute::new("reserved_concurrent_executions", reserved).into()))
            .collect();
    }
    out.resource("aws_lambda_function", &name, body);
    out.output(&format!("{name}_arn"), "Function ARN", tr(&format!("aws_lambda_function.{name}.arn")));
    super::triggers::write(plan, out, s);
}

/// An HTTP API (or, for `engine: "rest"`, a REST API), integrated with a function of the same
/// region when the design links one.
pub(super) fn api(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let target = plan.design.links_from(&s.id).find(|l| {
        plan.kind_of(&l.to) == Some(ServiceKind::Lambda) && plan.region_of(&l.to) == plan.region_of(&s.id)
    });
    let (resource, function) = match sizing::api_flavour(s) {
        ApiFlavour::Http => ("aws_apigatewayv2_api", target.map(|l| plan.names.tf(l.to.as_str()))),
        ApiFlavour::Rest => ("aws_api_gateway_rest_api", target.map(|l| plan.names.tf(l.to.as_str()))),
    };
    if let Some(f) = &function {
        out.resource(
            "aws_lambda_permission",
            &format!("{name}_invoke_{f}"),
            hcl::body!({
                action = "lambda:InvokeFunction"
                function_name = (tr(&format!("aws_lambda_function.{f}.function_name")))
                principal = "apigateway.amazonaws.com"
                source_arn = (tpl(&format!("${{{resource}.{name}.execution_arn}}/*")))
            }),
        );
    }
    match sizing::api_flavour(s) {
        ApiFlavour::Http => {
            let mut body = Body::builder()
                .add_attribute(("name", tpl(&format!("${{var.name_prefix}}-{}", s.id))))
                .add_attribute(("protocol_type", "HTTP"));
            if let Some(f) = &function {
                body = body.add_attribute(("target", tr(&format!("aws_lambda_function.{f}.arn"))));
            }
            out.resource(resource, &name, body.add_attribute(("tags", tags(&s.tags))).build());
        }
        ApiFlavour::Rest => rest_api(out, s, &name, function.as_deref()),
    }
    out.output(
        &format!("{name}_dns_name"),
        "API endpoint host",
        tpl(&format!("${{{resource}.{name}.id}}.execute-api.{region}.amazonaws.com")),
    );
}

/// A regional REST API: `ANY /` and `ANY /{proxy+}` proxied to the function (or answered 503 by
/// a mock integration), deployed to stage `prod`.
fn rest_api(out: &mut Out, s: &Service, name: &str, function: Option<&str>) {
    let api = format!("aws_api_gateway_rest_api.{name}");
    out.resource(
        "aws_api_gateway_rest_api",
        name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            endpoint_configuration { types = ["REGIONAL"] }
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_api_gateway_resource",
        &format!("{name}_proxy"),
        hcl::body!({
            rest_api_id = (tr(&format!("{api}.id")))
            parent_id = (tr(&format!("{api}.root_resource_id")))
            path_part = "{proxy+}"
        }),
    );
    let mut integrations = Vec::new();
    for (part, resource) in [
        ("root", format!("{api}.root_resource_id")),
        ("proxy", format!("aws_api_gateway_resource.{name}_proxy.id")),
    ] {
        let method = format!("{name}_{part}");
        out.resource(
            "aws_api_gateway_method",
            &method,
            hcl::body!({
                rest_api_id = (tr(&format!("{api}.id")))
                resource_id = (tr(&resource))
                http_method = "ANY"
                authorization = "NONE"
            }),
        );
        out.skip(
            "aws_api_gateway_method",
            &method,
            "CKV_AWS_59",
            "the API is the design's public entry point; the function authorises its callers",
        );
        let mut body = Body::builder()
            .add_attribute(("rest_api_id", tr(&format!("{api}.id"))))
            .add_attribute(("resource_id", tr(&resource)))
            .add_attribute(("http_method", tr(&format!("aws_api_gateway_method.{method}.http_method"))));
        body = match function {
            Some(f) => body
                .add_attribute(("type", "AWS_PROXY"))
                .add_attribute(("integration_http_method", "POST"))
                .add_attribute(("uri", tr(&format!("aws_lambda_function.{f}.invoke_arn")))),
            None => body.add_attribute(("type", "MOCK")),
        };
        out.resource("aws_api_gateway_integration", &method, body.build());
        integrations.push(tr(&format!("aws_api_gateway_integration.{method}")));
    }
    out.resource(
        "aws_api_gateway_deployment",
        name,
        hcl::body!({
            rest_api_id = (tr(&format!("{api}.id")))
            depends_on = (integrations)
        }),
    );
    out.resource(
        "aws_api_gateway_stage",
        name,
        hcl::body!({
            rest_api_id = (tr(&format!("{api}.id")))
            deployment_id = (tr(&format!("aws_api_gateway_deployment.{name}.id")))
            stage_name = "prod"
            tags = (tags(&s.tags))
        }),
    );
}
