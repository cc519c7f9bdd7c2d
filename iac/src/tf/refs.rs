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
