//! Compute and entry points of a region's template: load balancers with listeners and target
//! groups, ECS Fargate services, Lambda functions, HTTP APIs, and the least-privilege roles
//! they run as.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::network::{security_group, subnets};
use super::template::{Template, att, r, sub, tag_map, tags};
use crate::plan::{Plan, fargate_size, is_load_balancer};
use crate::rules::{self, TLS_POLICY};
use meridian_model::ServiceKind;
use meridian_model::design::{LinkKind, Service};
use meridian_model::ids::RegionId;
use meridian_model::sizing::{self, ApiFlavour};

/// An ALB or NLB, a target group per routing link and a TLS listener.
pub(super) fn load_balancer(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    let alb = s.kind == ServiceKind::Alb;
    let mut props = json!({"Type": if alb { "application" } else { "network" }, "Scheme": "internet-facing",
        "Subnets": subnets(plan, &region, "Public"), "SecurityGroups": [r(&sg)], "Tags": tags(&s.tags),
        "LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "true"}]});
    if alb && let Some(a) = props["LoadBalancerAttributes"].as_array_mut() {
        a.push(json!({"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}));
    }
    t.add(&id, "AWS::ElasticLoadBalancingV2::LoadBalancer", props);
    let mut groups = Vec::new();
    for l in plan.design.links_from(&s.id).filter(|l| matches!(l.kind, LinkKind::Routing(_))) {
        let tg = format!("{id}To{}", plan.names.cfn(l.to.as_str()));
        let (interval, threshold) = rules::target_health(l);
        let weight = rules::weight(l, 999, 1);
        let (target_port, target_type) = plan.kind_of(&l.to).map_or((443, "ip"), rules::target_group);
        let mut p = json!({"VpcId": r("Vpc"), "TargetType": target_type, "Port": target_port,
            "Protocol": if alb { "HTTP" } else { "TCP" }, "HealthCheckIntervalSeconds": interval,
            "UnhealthyThresholdCount": threshold, "HealthyThresholdCount": threshold, "Tags": tags(&s.tags)});
        if alb && let Some(o) = p.as_object_mut() {
            o.insert("HealthCheckPath".into(), json!("/health"));
        }
        t.add(&tg, "AWS::ElasticLoadBalancingV2::TargetGroup", p);
        groups.push((tg, weight));
    }
    if groups.is_empty() && !alb {
        let tg = format!("{id}Default");
        t.add(&tg, "AWS::ElasticLoadBalancingV2::TargetGroup", json!({"VpcId": r("Vpc"), "TargetType": "ip", "Port": 443, "Protocol": "TCP", "Tags": tags(&s.tags)}));
        groups.push((tg, 1));
    }
    let action = if groups.is_empty() {
        json!({"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503"}})
    } else if let [(g, _)] = groups.as_slice() {
        json!({"Type": "forward", "TargetGroupArn": r(g)})
    } else {
        json!({"Type": "forward", "ForwardConfig": {"TargetGroups": groups.iter().map(|(g, w)| json!({"TargetGroupArn": r(g), "Weight": w})).collect::<Vec<_>>()}})
    };
    t.add(&format!("{id}Listener"), "AWS::ElasticLoadBalancingV2::Listener", json!({
        "LoadBalancerArn": r(&id), "Port": 443, "Protocol": if alb { "HTTPS" } else { "TLS" }, "SslPolicy": TLS_POLICY,
        "Certificates": [{"CertificateArn": r("CertificateArn")}], "DefaultActions": [action]}));
    t.output(&format!("{id}DnsName"), "DNS name", att(&id, "DNSName"));
    t.output(&format!("{id}Arn"), "ARN", r(&id));
}

/// IAM statements for the calls a compute service makes to its dependencies.
pub(super) fn dependency_statements(plan: &Plan, s: &Service) -> Vec<Value> {
    let mut out = Vec::new();
    for a in rules::access(plan, s) {
        let l = a.link;
        let tid = plan.names.cfn(l.to.as_str());
        let resource = match a.target.kind {
            ServiceKind::DynamoDb => {
                let table = rules::table_of(plan, &l.to);
                let region = plan.region_of(&l.to).map_or("${AWS::Region}", |r| r.as_str());
                json!([
                    sub(&format!(
                        "arn:${{AWS::Partition}}:dynamodb:{region}:${{AWS::AccountId}}:table/${{NamePrefix}}-{table}"
                    )),
                    sub(&format!(
                        "arn:${{AWS::Partition}}:dynamodb:{region}:${{AWS::AccountId}}:table/${{NamePrefix}}-{table}/index/*"
                    ))
                ])
            }
            ServiceKind::S3 => json!(sub(&format!(
                "arn:${{AWS::Partition}}:s3:::${{NamePrefix}}-{}-${{AWS::AccountId}}/*",
                l.to
            ))),
            ServiceKind::Sqs | ServiceKind::EventBridge => att(&tid, "Arn"),
            // A topic's and an endpoint's `Ref` is the ARN.
            ServiceKind::Sns | ServiceKind::SageMakerEndpoint => r(&tid),
            // Functions and state machines by their ARN's parts, not a reference: two that call
            // each other would otherwise make a circular dependency through their roles.
            ServiceKind::Lambda => sub(&format!(
                "arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:${{NamePrefix}}-{}",
                l.to
            )),
            ServiceKind::StepFunctions => sub(&format!(
                "arn:${{AWS::Partition}}:states:${{AWS::Region}}:${{AWS::AccountId}}:stateMachine:${{NamePrefix}}-{}",
                l.to
            )),
            ServiceKind::Aurora => sub(&format!(
                "arn:${{AWS::Partition}}:rds-db:${{AWS::Region}}:${{AWS::AccountId}}:dbuser:${{{tid}.DBClusterResourceId}}/app"
            )),
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
        };
        out.push(
            json!({"Sid": plan.names.cfn(l.id.as_str()), "Effect": "Allow", "Action": a.actions, "Resource": resource}),
        );
        if a.needs_key {
            out.push(json!({"Sid": format!("{}Key", plan.names.cfn(l.id.as_str())), "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": sub(&format!("{}.${{AWS::Region}}.amazonaws.com", a.target.kind))}}}));
        }
    }
    out
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "json! reads its arguments by reference; callers build the values inline"
)]
pub(super) fn role(
    t: &mut Template,
    id: &str,
    service: &str,
    managed: &[&str],
    statements: Vec<Value>,
    tag_map: &BTreeMap<String, String>,
) {
    let mut props = json!({
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": managed.iter().map(|m| sub(&format!("arn:${{AWS::Partition}}:iam::aws:policy/{m}"))).collect::<Vec<_>>(),
        "Tags": tags(tag_map)});
    if !statements.is_empty()
        && let Some(o) = props.as_object_mut()
    {
        o.insert("Policies".into(), json!([{"PolicyName": "dependencies", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}]));
    }
    t.add(id, "AWS::IAM::Role", props);
}

#[allow(
    clippy::needless_pass_by_value,
    reason = "json! reads its arguments by reference; callers build the values inline"
)]
pub(super) fn log_group(t: &mut Template, id: &str, name: Value) {
    t.add(
        id,
        "AWS::Logs::LogGroup",
        json!({"LogGroupName": name, "KmsKeyId": att("Key", "Arn"), "RetentionInDays": rules::LOG_RETENTION_DAYS}),
    );
}

/// An ECS cluster, task definition and service on Fargate in private subnets.
pub(super) fn fargate(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    t.param(
        &format!("{id}Image"),
        &format!("Container image of {}", s.name),
        Some("public.ecr.aws/docker/library/nginx:stable"),
    );
    t.add(&format!("{id}Cluster"), "AWS::ECS::Cluster", json!({"ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}], "Tags": tags(&s.tags)}));
    log_group(t, &format!("{id}Logs"), sub(&format!("/${{NamePrefix}}/{}", s.id)));
    role(
        t,
        &format!("{id}ExecutionRole"),
        "ecs-tasks.amazonaws.com",
        &["service-role/AmazonECSTaskExecutionRolePolicy"],
        Vec::new(),
        &s.tags,
    );
    role(
        t,
        &format!("{id}TaskRole"),
        "ecs-tasks.amazonaws.com",
        &[],
        dependency_statements(plan, s),
        &s.tags,
    );
    let (cpu, memory) = fargate_size(s);
    t.add(&format!("{id}Task"), "AWS::ECS::TaskDefinition", json!({
        "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Cpu": cpu.to_string(), "Memory": memory.to_string(),
        "ExecutionRoleArn": att(&format!("{id}ExecutionRole"), "Arn"), "TaskRoleArn": att(&format!("{id}TaskRole"), "Arn"),
        "ContainerDefinitions": [{"Name": "app", "Image": r(&format!("{id}Image")), "Essential": true, "ReadonlyRootFilesystem": true,
            "PortMappings": [{"ContainerPort": 8080, "Protocol": "tcp"}],
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": r(&format!("{id}Logs")), "awslogs-region": r("AWS::Region"), "awslogs-stream-prefix": "app"}}}],
        "Tags": tags(&s.tags)}));
    let mut lbs = Vec::new();
    let mut depends = Vec::new();
    for l in plan.design.links_to(&s.id).filter(|l| {
        matches!(l.kind, LinkKind::Routing(_)) && plan.kind_of(&l.from).is_some_and(is_load_balancer)
    }) {
        lbs.push(json!({"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": r(&format!("{}To{id}", plan.names.cfn(l.from.as_str())))}));
        depends.push(json!(format!("{}Listener", plan.names.cfn(l.from.as_str()))));
    }
    depends.sort_by_key(ToString::to_string);
    t.add_with(&id, "AWS::ECS::Service", json!({
        "Cluster": r(&format!("{id}Cluster")), "LaunchType": "FARGATE", "DesiredCount": s.config.count,
        "TaskDefinition": r(&format!("{id}Task")), "LoadBalancers": lbs, "PropagateTags": "SERVICE",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"AssignPublicIp": "DISABLED", "SecurityGroups": [r(&sg)], "Subnets": subnets(plan, &region, "Private")}},
        "Tags": tags(&s.tags)}), json!({"DependsOn": depends}));
}

/// A Lambda function in private subnets with placeholder code, its role and log group.
pub(super) fn lambda(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    role(
        t,
        &format!("{id}Role"),
        "lambda.amazonaws.com",
        &["service-role/AWSLambdaVPCAccessExecutionRole"],
        dependency_statements(plan, s).into_iter().chain(super::triggers::statements(plan, s)).collect(),
        &s.tags,
    );
    log_group(t, &format!("{id}Logs"), sub(&format!("/aws/lambda/${{NamePrefix}}-{}", s.id)));
    let memory = rules::lambda_memory_mib(s);
    let mut props = json!({
        "FunctionName": sub(&format!("${{NamePrefix}}-{}", s.id)), "Runtime": "python3.13", "Handler": "index.handler",
        "Role": att(&format!("{id}Role"), "Arn"), "MemorySize": memory, "Timeout": 30, "KmsKeyArn": att("Key", "Arn"),
        "TracingConfig": {"Mode": "Active"},
        "VpcConfig": {"SecurityGroupIds": [r(&sg)], "SubnetIds": subnets(plan, &region, "Private")},
        "Code": {"ZipFile": rules::PLACEHOLDER_CODE},
        "Tags": tags(&s.tags)});
    // The reserved concurrency the design declares (the simulation's cap on the function).
    if let (Some(reserved), Some(o)) = (s.config.concurrency.and_then(|c| c.reserved), props.as_object_mut())
    {
        o.insert("ReservedConcurrentExecutions".into(), reserved.into());
    }
    t.add_with(&id, "AWS::Lambda::Function", props, json!({"DependsOn": [format!("{id}Logs")]}));
    t.output(&format!("{id}Arn"), "Function ARN", att(&id, "Arn"));
    super::triggers::write(plan, t, s);
}

/// An HTTP API (or, for `engine: "rest"`, a REST API), integrated with a function of the same
/// region when the design links one.
pub(super) fn api(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    let target = plan.design.links_from(&s.id).find(|l| {
        plan.kind_of(&l.to) == Some(ServiceKind::Lambda) && plan.region_of(&l.to) == plan.region_of(&s.id)
    });
    if let Some(l) = target {
        let f = plan.names.cfn(l.to.as_str());
        t.add(&format!("{id}Invoke{f}"), "AWS::Lambda::Permission", json!({"Action": "lambda:InvokeFunction", "FunctionName": r(&f),
            "Principal": "apigateway.amazonaws.com", "SourceArn": sub(&format!("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}}}/*"))}));
    }
    match sizing::api_flavour(s) {
        ApiFlavour::Http => {
            let mut props = json!({"Name": sub(&format!("${{NamePrefix}}-{}", s.id)), "ProtocolType": "HTTP", "Tags": tag_map(&s.tags)});
            if let (Some(l), Some(o)) = (target, props.as_object_mut()) {
                o.insert("Target".into(), att(&plan.names.cfn(l.to.as_str()), "Arn"));
            }
            t.add(&id, "AWS::ApiGatewayV2::Api", props);
        }
        ApiFlavour::Rest => rest_api(t, s, &id, target.map(|l| plan.names.cfn(l.to.as_str())).as_deref()),
    }
    t.output(
        &format!("{id}DnsName"),
        "API endpoint host",
        sub(&format!("${{{id}}}.execute-api.${{AWS::Region}}.amazonaws.com")),
    );
}

/// A regional REST API: every path and method (`ANY /` and `ANY /{proxy+}`) proxied to the
/// function, or answered 503 by a mock integration when there is none, deployed to stage `prod`.
fn rest_api(t: &mut Template, s: &Service, id: &str, function: Option<&str>) {
    t.add(
        id,
        "AWS::ApiGateway::RestApi",
        json!({"Name": sub(&format!("${{NamePrefix}}-{}", s.id)),
        "EndpointConfiguration": {"Types": ["REGIONAL"]}, "Tags": tags(&s.tags)}),
    );
    t.add(
        &format!("{id}Proxy"),
        "AWS::ApiGateway::Resource",
        json!({"RestApiId": r(id), "ParentId": att(id, "RootResourceId"), "PathPart": "{proxy+}"}),
    );
    let integration = match function {
        Some(f) => json!({"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST",
            "Uri": sub(&format!("arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{{f}.Arn}}/invocations"))}),
        None => json!({"Type": "MOCK", "RequestTemplates": {"application/json": "{\"statusCode\": 503}"}}),
    };
    let mut methods = Vec::new();
    for (name, resource) in
        [("RootMethod", att(id, "RootResourceId")), ("ProxyMethod", r(&format!("{id}Proxy")))]
    {
        let m = format!("{id}{name}");
        t.add(
            &m,
            "AWS::ApiGateway::Method",
            json!({"RestApiId": r(id), "ResourceId": resource, "HttpMethod": "ANY",
            "AuthorizationType": "NONE", "Integration": integration}),
        );
        t.skip(
            &m,
            "CKV_AWS_59",
            "the API is the design's public entry point; the function authorises its callers",
        );
        methods.push(json!(m));
    }
    t.add_with(
        &format!("{id}Deployment"),
        "AWS::ApiGateway::Deployment",
        json!({"RestApiId": r(id)}),
        json!({"DependsOn": methods}),
    );
    t.add(
        &format!("{id}Stage"),
        "AWS::ApiGateway::Stage",
        json!({"RestApiId": r(id), "DeploymentId": r(&format!("{id}Deployment")),
        "StageName": "prod", "Tags": tags(&s.tags)}),
    );
}
