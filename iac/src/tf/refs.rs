//! References to the resources of a region that other files name: the region's KMS key and
//! subnets, the region of a service, and each service's security group. Uses only the expression
//! helpers and the module writer, so every resource writer can use it.

use hcl::expr::Expression;

use super::expr::{alias, list, tags, tr};
use super::module::Out;
use crate::plan::{Plan, is_load_balancer, port_of};
use crate::rules;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;

/// The region's KMS key ARN.
pub(super) fn key_arn(region: &RegionId) -> Expression {
    tr(&format!("aws_kms_key.{}.arn", alias(region)))
}

/// The region of a service (global services have none; they never reach the regional writers).
pub(super) fn region_of(plan: &Plan, s: &Service) -> RegionId {
    plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""))
}

/// The subnets of a tier (`public` or `private`) in `region`.
pub(super) fn subnets(plan: &Plan, region: &RegionId, tier: &str) -> Expression {
    let r = alias(region);
    let n = plan.design.region(region).map_or(0, |x| x.azs.len());
    list((1..=n).map(|i| tr(&format!("aws_subnet.{r}_{tier}_{i}.id"))).collect())
}

/// Declares the security group of `s` (ingress from its callers on its port) and returns its id.
pub(super) fn security_group(plan: &Plan, out: &mut Out, s: &Service) -> Expression {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let mut ingress = Vec::new();
    if let Some(port) = port_of(s) {
        if is_load_balancer(s.kind) {
            ingress.push(hcl::block!(ingress {
                description = "HTTPS from users"
                protocol = "tcp"
                from_port = (port)
                to_port = (port)
                cidr_blocks = ["0.0.0.0/0"]
            }));
        }
        for c in rules::callers(plan, s) {
            ingress.push(hcl::block!(ingress {
                description = (format!("from {c}"))
                protocol = "tcp"
                from_port = (port)
                to_port = (port)
                security_groups = [(tr(&format!("aws_security_group.{}.id", plan.names.tf(c.as_str()))))]
            }));
        }
    }
    let body = hcl::Body::builder()
        .add_attribute(("description", format!("{} ({})", s.name, s.id)))
        .add_attribute(("vpc_id", tr(&format!("aws_vpc.{}.id", alias(&region)))))
        .add_blocks(ingress)
        .add_block(hcl::block!(egress {
            description = "outbound TCP"
            protocol = "tcp"
            from_port = 0
            to_port = 65535
            cidr_blocks = ["0.0.0.0/0"]
        }))
        .add_attribute(("tags", tags(&s.tags)))
        .build();
    out.resource("aws_security_group", &name, body);
    tr(&format!("aws_security_group.{name}.id"))
}

/// The subnet group a database, cache or replication instance is placed in.
#[derive(Clone, Copy)]
pub(super) enum SubnetGroup {
    /// `aws_db_subnet_group` (Aurora and RDS), named from a prefix of the service id.
    Db,
    /// `aws_elasticache_subnet_group`.
    Cache,
    /// `aws_dms_replication_subnet_group`.
    Dms,
}

/// Writes `s`'s subnet group of the given type over its region's private subnets, under `s`'s
/// Terraform name.
pub(super) fn private_subnet_group(plan: &Plan, out: &mut Out, s: &Service, group: SubnetGroup) {
    let name = plan.names.tf(s.id.as_str());
    let subnet_ids = subnets(plan, &region_of(plan, s), "private");
    let description = format!("{} subnets", s.id);
    let id = super::expr::tpl(&format!("${{var.name_prefix}}-{}", s.id));
    let (kind, body) = match group {
        SubnetGroup::Db => (
            "aws_db_subnet_group",
            hcl::body!({
                name_prefix = (format!("{}-", s.id))
                description = (description)
                subnet_ids = (subnet_ids)
                tags = (tags(&s.tags))
            }),
        ),
        SubnetGroup::Cache => (
            "aws_elasticache_subnet_group",
            hcl::body!({
                name = (id)
                description = (description)
                subnet_ids = (subnet_ids)
            }),
        ),
        SubnetGroup::Dms => (
            "aws_dms_replication_subnet_group",
            hcl::body!({
                replication_subnet_group_id = (id)
                replication_subnet_group_description = (description)
                subnet_ids = (subnet_ids)
                tags = (tags(&s.tags))
            }),
        ),
    };
    out.resource(kind, &name, body);
}
