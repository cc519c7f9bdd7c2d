//! Global resources (`global.tf`: Route 53 zones, Global Accelerator, CloudFront origin access)
//! and the cross-region pieces (`cross-region.tf`: records, health checks, endpoint groups,
//! distributions), which refer to the regional resources directly.

use std::collections::BTreeMap;

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::expr::{list, tags, tpl, tr};
use super::module::Out;
use crate::plan::{Plan, is_load_balancer};
use crate::rules;
use meridian_model::ServiceKind;
use meridian_model::design::{EntityRef, FailoverRole, Link, LinkKind, RoutingPolicy, Service};

/// CloudFront's managed cache policy `CachingOptimized`.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/// Writes the global resources.
pub(super) fn global(plan: &Plan, out: &mut Out) {
    for s in plan.global_services() {
        out.owner(Some(EntityRef::Service(s.id.clone())));
        let name = plan.names.tf(s.id.as_str());
        match s.kind {
            ServiceKind::Route53 => {
                out.variable(
                    &format!("{name}_zone_name"),
                    &format!("Hosted zone of {}", s.name),
                    Some(&rules::zone_of(s)),
                );
                out.resource(
                    "aws_route53_zone",
                    &name,
                    hcl::body!({
                        name = (tr(&format!("var.{name}_zone_name")))
                        tags = (tags(&s.tags))
                    }),
                );
                out.output(
                    &format!("{name}_zone_id"),
                    "Hosted zone id",
                    tr(&format!("aws_route53_zone.{name}.zone_id")),
                );
            }
            ServiceKind::GlobalAccelerator => {
                out.resource(
                    "aws_globalaccelerator_accelerator",
                    &name,
                    hcl::body!({
                        name = (format!("{}-{}", plan.prefix, s.id))
                        ip_address_type = "IPV4"
                        enabled = true
                        tags = (tags(&s.tags))
                    }),
                );
                out.resource(
                    "aws_globalaccelerator_listener",
                    &name,
                    hcl::body!({
                        accelerator_arn = (tr(&format!("aws_globalaccelerator_accelerator.{name}.arn")))
                        protocol = "TCP"
                        client_affinity = "NONE"
                        port_range {
                            from_port = 443
                            to_port = 443
                        }
                    }),
                );
                out.output(
                    &format!("{name}_dns_name"),
                    "Accelerator DNS name",
                    tr(&format!("aws_globalaccelerator_accelerator.{name}.dns_name")),
                );
            }
            ServiceKind::CloudFront => {
                out.resource(
                    "aws_cloudfront_origin_access_control",
                    &name,
                    hcl::body!({
                        name = (format!("{}-{}", plan.prefix, s.id))
                        origin_access_control_origin_type = "s3"
                        signing_behavior = "always"
                        signing_protocol = "sigv4"
                    }),
                );
            }
            ServiceKind::Iam => super::identity::role(plan, out, s),
            ServiceKind::LambdaEdge => super::identity::edge_function(plan, out, s),
            // Regional: written in the regional files.
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::Aurora
            | ServiceKind::AwsBackup
            | ServiceKind::DynamoDb
            | ServiceKind::Ec2Asg
            | ServiceKind::EcsFargate
            | ServiceKind::ElastiCache
            | ServiceKind::Lambda
            | ServiceKind::Nlb
            | ServiceKind::S3
            | ServiceKind::Sns
            | ServiceKind::Sqs
            | ServiceKind::AwsConfig
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
            | ServiceKind::Eks
            | ServiceKind::EventBridge
            | ServiceKind::NatGateway
            | ServiceKind::Rds
            | ServiceKind::SageMakerEndpoint
            | ServiceKind::SiteToSiteVpn
            | ServiceKind::StepFunctions
            | ServiceKind::TransitGateway => {}
        }
    }
}

/// The DNS name of a routing target, or a variable to set by hand when the export has none.
fn dns_name(out: &mut Out, plan: &Plan, target: &Service) -> Expression {
    let t = plan.names.tf(target.id.as_str());
    match target.kind {
        ServiceKind::Alb | ServiceKind::Nlb => tr(&format!("aws_lb.{t}.dns_name")),
        ServiceKind::ApiGateway => tpl(&format!(
            "${{aws_apigatewayv2_api.{t}.id}}.execute-api.{}.amazonaws.com",
            plan.region_of(&target.id).map_or("us-east-1", |r| r.as_str())
        )),
        ServiceKind::S3 => tr(&format!("aws_s3_bucket.{t}.bucket_regional_domain_name")),
        ServiceKind::CloudFront => tr(&format!("aws_cloudfront_distribution.{t}.domain_name")),
        ServiceKind::GlobalAccelerator => tr(&format!("aws_globalaccelerator_accelerator.{t}.dns_name")),
        // No DNS name the export knows: a variable the user sets.
        ServiceKind::Aurora
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::DynamoDb
        | ServiceKind::Ec2Asg
        | ServiceKind::EcsFargate
        | ServiceKind::Eks
        | ServiceKind::ElastiCache
        | ServiceKind::EventBridge
        | ServiceKind::Iam
        | ServiceKind::Lambda
        | ServiceKind::LambdaEdge
        | ServiceKind::NatGateway
        | ServiceKind::Rds
        | ServiceKind::Route53
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => {
            out.variable(
                &format!("{t}_dns_name"),
                &format!("DNS name of {} ({})", target.name, target.id),
                None,
            );
            tr(&format!("var.{t}_dns_name"))
        }
    }
}

/// Writes the cross-region pieces.
pub(super) fn cross_region(plan: &Plan, out: &mut Out) {
    for s in plan.global_services() {
        out.owner(Some(EntityRef::Service(s.id.clone())));
        let mut links: Vec<&Link> = plan
            .design
            .links_from(&s.id)
            .filter(|l| matches!(l.kind, LinkKind::Routing(_)) && plan.exported.contains(&l.to))
            .collect();
        links.sort_by(|a, b| a.id.cmp(&b.id));
        match s.kind {
            ServiceKind::Route53 => records(plan, out, s, &links),
            ServiceKind::GlobalAccelerator => endpoint_groups(plan, out, s, &links),
            ServiceKind::CloudFront => distribution(plan, out, s, &links),
            // Regional: written in the regional templates.
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::Aurora
            | ServiceKind::AwsBackup
            | ServiceKind::DynamoDb
            | ServiceKind::Ec2Asg
            | ServiceKind::EcsFargate
            | ServiceKind::ElastiCache
            | ServiceKind::Lambda
            | ServiceKind::Nlb
            | ServiceKind::S3
            | ServiceKind::Sns
            | ServiceKind::Sqs
            // Not exported (`plan::export_support` says why): `services_in` leaves them out.
            | ServiceKind::AwsConfig
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
            | ServiceKind::Eks
            | ServiceKind::EventBridge
            | ServiceKind::Iam
            | ServiceKind::LambdaEdge
            | ServiceKind::NatGateway
            | ServiceKind::Rds
            | ServiceKind::SageMakerEndpoint
            | ServiceKind::SiteToSiteVpn
            | ServiceKind::StepFunctions
            | ServiceKind::TransitGateway => {}
        }
    }
}

fn records(plan: &Plan, out: &mut Out, s: &Service, links: &[&Link]) {
    let zone = tr(&format!("aws_route53_zone.{}.zone_id", plan.names.tf(s.id.as_str())));
    for l in links {
        let LinkKind::Routing(routing) = &l.kind else { continue };
        let Some(target) = plan.design.service(&l.to) else { continue };
        let dns = dns_name(out, plan, target);
        out.owner(Some(EntityRef::Link(l.id.clone())));
        let lid = plan.names.tf(l.id.as_str());
        let mut health = None;
        if let Some(h) = &routing.health_check {
            out.resource(
                "aws_route53_health_check",
                &lid,
                hcl::body!({
                    type = "HTTPS"
                    fqdn = (dns.clone())
                    port = 443
                    resource_path = "/health"
                    request_interval = (rules::edge_interval_secs(h.interval.as_micros()))
                    failure_threshold = (h.failure_threshold.clamp(1, 10))
                    tags = (tags(&s.tags))
                }),
            );
            health = Some(tr(&format!("aws_route53_health_check.{lid}.id")));
        }
        let ttl = routing.ttl.map_or(60, |d| d.as_micros() / 1_000_000);
        let record = |set_id: String, policy: Block| {
            let mut b = Body::builder()
                .add_attribute(("zone_id", zone.clone()))
                .add_attribute(("name", rules::record_name(s)))
                .add_attribute(("type", "CNAME"))
                .add_attribute(("ttl", ttl))
                .add_attribute(("records", list(vec![dns.clone()])))
                .add_attribute(("set_identifier", set_id));
            if let Some(h) = &health {
                b = b.add_attribute(("health_check_id", h.clone()));
            }
            b.add_block(policy).build()
        };
        match &routing.policy {
            RoutingPolicy::Latency => {
                let region = plan.region_of(&l.to).map_or("us-east-1", |r| r.as_str());
                let policy = hcl::block!(latency_routing_policy { region = (region) });
                out.resource("aws_route53_record", &lid, record(l.id.to_string(), policy));
            }
            RoutingPolicy::Weighted { weight } => {
                let policy = hcl::block!(weighted_routing_policy { weight = (*weight.min(&255)) });
                out.resource("aws_route53_record", &lid, record(l.id.to_string(), policy));
            }
            RoutingPolicy::Failover { role } => {
                let kind = if *role == FailoverRole::Primary { "PRIMARY" } else { "SECONDARY" };
                let policy = hcl::block!(failover_routing_policy { type = (kind) });
                out.resource("aws_route53_record", &lid, record(l.id.to_string(), policy));
            }
            RoutingPolicy::Geolocation { continents } => {
                if continents.is_empty() {
                    let policy = hcl::block!(geolocation_routing_policy { country = "*" });
                    out.resource("aws_route53_record", &lid, record(l.id.to_string(), policy));
                }
                for (n, c) in continents.iter().enumerate() {
                    let code = rules::continent_code(*c);
                    let policy = hcl::block!(geolocation_routing_policy { continent = (code) });
                    out.resource(
                        "aws_route53_record",
                        &format!("{lid}_{}", n + 1),
                        record(format!("{}-{code}", l.id), policy),
                    );
                }
            }
        }
    }
}

fn endpoint_groups(plan: &Plan, out: &mut Out, s: &Service, links: &[&Link]) {
    let name = plan.names.tf(s.id.as_str());
    let mut by_region: BTreeMap<String, Vec<(&Link, Expression)>> = BTreeMap::new();
    for l in links {
        let Some(target) = plan.design.service(&l.to) else { continue };
        let Some(region) = target.placement.region() else { continue };
        let t = plan.names.tf(l.to.as_str());
        let arn = if is_load_balancer(target.kind) {
            tr(&format!("aws_lb.{t}.arn"))
        } else {
            out.variable(&format!("{t}_endpoint_id"), &format!("Endpoint id (ARN) of {}", target.id), None);
            tr(&format!("var.{t}_endpoint_id"))
        };
        by_region.entry(region.to_string()).or_default().push((l, arn));
    }
    for (region, endpoints) in by_region {
        let first = endpoints.first().and_then(|(l, _)| {
            if let LinkKind::Routing(r) = &l.kind { r.health_check.clone() } else { None }
        });
        let mut b = Body::builder()
            .add_attribute(("listener_arn", tr(&format!("aws_globalaccelerator_listener.{name}.id"))))
            .add_attribute(("endpoint_group_region", region.as_str()))
            .add_attribute(("traffic_dial_percentage", 100))
            .add_attribute(("health_check_protocol", "TCP"))
            .add_attribute(("health_check_port", 443));
        if let Some(h) = first {
            b = b
                .add_attribute((
                    "health_check_interval_seconds",
                    rules::edge_interval_secs(h.interval.as_micros()),
                ))
                .add_attribute(("threshold_count", h.failure_threshold.clamp(1, 10)));
        }
        for (l, arn) in endpoints {
            b = b.add_block(hcl::block!(endpoint_configuration {
                endpoint_id = (arn)
                weight = (rules::weight(l, 255, 128))
                client_ip_preservation_enabled = true
            }));
        }
        out.resource(
            "aws_globalaccelerator_endpoint_group",
            &format!("{name}_{}", crate::names::snake(&region)),
            b.build(),
        );
    }
}

fn distribution(plan: &Plan, out: &mut Out, s: &Service, links: &[&Link]) {
    let name = plan.names.tf(s.id.as_str());
    let mut origins = Vec::new();
    let (mut primary, mut secondary) = (None, None);
    for l in links {
        let Some(target) = plan.design.service(&l.to) else { continue };
        let origin_id = l.to.to_string();
        let domain = dns_name(out, plan, target);
        origins.push(if target.kind == ServiceKind::S3 {
            hcl::block!(origin {
                origin_id = (origin_id.as_str())
                domain_name = (domain)
                origin_access_control_id = (tr(&format!("aws_cloudfront_origin_access_control.{name}.id")))
            })
        } else {
            hcl::block!(origin {
                origin_id = (origin_id.as_str())
                domain_name = (domain)
                custom_origin_config {
                    http_port = 80
                    https_port = 443
                    origin_protocol_policy = "https-only"
                    origin_ssl_protocols = ["TLSv1.2"]
                }
            })
        });
        if let LinkKind::Routing(routing) = &l.kind {
            match routing.policy {
                RoutingPolicy::Failover { role: FailoverRole::Secondary } => secondary = Some(origin_id),
                _ if primary.is_none() => primary = Some(origin_id),
                _ => {}
            }
        }
    }
    let Some(primary) = primary else { return };
    let mut b = Body::builder()
        .add_attribute(("enabled", true))
        .add_attribute(("comment", s.name.as_str()))
        .add_attribute(("http_version", "http2and3"))
        .add_attribute(("default_root_object", "index.html"))
        .add_attribute(("price_class", "PriceClass_All"))
        .add_blocks(origins);
    let target = if let Some(secondary) = secondary {
        b = b.add_block(hcl::block!(origin_group {
            origin_id = "failover"
            failover_criteria { status_codes = [500, 502, 503, 504] }
            member { origin_id = (primary.as_str()) }
            member { origin_id = (secondary.as_str()) }
        }));
        "failover".to_owned()
    } else {
        primary
    };
    b = b
        .add_block(hcl::block!(default_cache_behavior {
            target_origin_id = (target.as_str())
            viewer_protocol_policy = "redirect-to-https"
            cache_policy_id = (CACHING_OPTIMIZED)
            compress = true
            allowed_methods = ["GET", "HEAD"]
            cached_methods = ["GET", "HEAD"]
        }))
        .add_block(hcl::block!(restrictions {
            geo_restriction { restriction_type = "none" }
        }))
        .add_block(hcl::block!(viewer_certificate { cloudfront_default_certificate = true }))
        .add_attribute(("tags", tags(&s.tags)));
    out.resource("aws_cloudfront_distribution", &name, b.build());
    out.output(
        &format!("{name}_domain_name"),
        "Distribution domain name",
        tr(&format!("aws_cloudfront_distribution.{name}.domain_name")),
    );
}
