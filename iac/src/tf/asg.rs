//! EC2 Auto Scaling groups of a region's file: an instance role and profile, a launch template
//! (Amazon Linux 2023 from the public SSM parameter, IMDSv2 only, encrypted EBS, no public IP) and
//! the group over the private subnets, registered with the target groups that route to it.

use hcl::Body;
use hcl::expr::Expression;

use super::compute::dependency_statements;
use super::expr::{list, tags, tpl, tr};
use super::module::Out;
use super::policy::role;
use super::refs::{region_of, security_group, subnets};
use crate::plan::{Plan, al2023_ami_parameter, asg_size, instance_type, is_load_balancer, tag_value};
use meridian_model::design::{LinkKind, Service};

/// An Auto Scaling group sized from the service's count, with ELB health checks when a load
/// balancer routes to it.
pub(super) fn auto_scaling_group(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let itype = instance_type(s);
    out.data(
        "aws_ssm_parameter",
        &format!("{name}_ami"),
        hcl::body!({ name = (al2023_ami_parameter(itype)) }),
    );
    out.variable(&format!("{name}_instance_type"), &format!("Instance type of {}", s.name), Some(itype));
    role(
        out,
        &format!("{name}_instance"),
        "ec2.amazonaws.com",
        &["AmazonSSMManagedInstanceCore"],
        dependency_statements(plan, s),
        &s.tags,
    );
    out.resource(
        "aws_iam_instance_profile",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}-{}", s.id, region)))
            role = (tr(&format!("aws_iam_role.{name}_instance.name")))
            tags = (tags(&s.tags))
        }),
    );
    launch_template(out, s, &name, &sg);
    let mut callers: Vec<_> = plan
        .design
        .links_to(&s.id)
        .filter(|l| {
            matches!(l.kind, LinkKind::Routing(_)) && plan.kind_of(&l.from).is_some_and(is_load_balancer)
        })
        .map(|l| plan.names.tf(l.from.as_str()))
        .collect();
    callers.sort();
    let groups: Vec<_> =
        callers.iter().map(|lb| tr(&format!("aws_lb_target_group.{lb}_to_{name}.arn"))).collect();
    let depends: Vec<_> = callers.iter().map(|lb| tr(&format!("aws_lb_listener.{lb}"))).collect();
    let (min, desired, max) = asg_size(s);
    let mut body = Body::builder()
        .add_attribute(("name_prefix", tpl(&format!("${{var.name_prefix}}-{}-", s.id))))
        .add_attribute(("min_size", min))
        .add_attribute(("desired_capacity", desired))
        .add_attribute(("max_size", max))
        .add_attribute(("vpc_zone_identifier", subnets(plan, &region, "private")))
        .add_attribute(("health_check_type", if groups.is_empty() { "EC2" } else { "ELB" }))
        .add_attribute(("health_check_grace_period", 300))
        .add_attribute(("target_group_arns", list(groups)))
        .add_block(hcl::block!(launch_template {
            id = (tr(&format!("aws_launch_template.{name}.id")))
            version = (tr(&format!("aws_launch_template.{name}.latest_version")))
        }))
        .add_blocks(s.tags.iter().map(|(k, v)| {
            hcl::block!(tag {
                key = (tag_value(k))
                value = (tag_value(v))
                propagate_at_launch = true
            })
        }));
    if !depends.is_empty() {
        body = body.add_attribute(("depends_on", list(depends)));
    }
    out.resource("aws_autoscaling_group", &name, body.build());
    out.output(
        &format!("{name}_name"),
        "Auto Scaling group name",
        tr(&format!("aws_autoscaling_group.{name}.name")),
    );
}

/// The launch template: IMDSv2 only, no public IP, encrypted root volume, the instance profile.
fn launch_template(out: &mut Out, s: &Service, name: &str, sg: &Expression) {
    out.resource(
        "aws_launch_template",
        name,
        hcl::body!({
            name_prefix = (tpl(&format!("${{var.name_prefix}}-{}-", s.id)))
            image_id = (tr(&format!("data.aws_ssm_parameter.{name}_ami.insecure_value")))
            instance_type = (tr(&format!("var.{name}_instance_type")))
            ebs_optimized = true
            iam_instance_profile {
                arn = (tr(&format!("aws_iam_instance_profile.{name}.arn")))
            }
            metadata_options {
                http_endpoint = "enabled"
                http_tokens = "required"
                http_put_response_hop_limit = 1
            }
            network_interfaces {
                device_index = 0
                associate_public_ip_address = false
                security_groups = [(sg.clone())]
                delete_on_termination = true
            }
            block_device_mappings {
                device_name = "/dev/xvda"
                ebs {
                    encrypted = true
                    volume_type = "gp3"
                    volume_size = 30
                    delete_on_termination = true
                }
            }
            monitoring {
                enabled = true
            }
            tag_specifications {
                resource_type = "instance"
                tags = (tags(&s.tags))
            }
            tag_specifications {
                resource_type = "volume"
                tags = (tags(&s.tags))
            }
            tags = (tags(&s.tags))
        }),
    );
}
