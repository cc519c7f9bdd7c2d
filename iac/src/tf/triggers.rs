//! A function's event sources (`calls::triggers`): an event source mapping from a queue, a
//! topic's subscription, an event bus rule targeting the function, and the function's resource
//! policy admitting the topic or rule; with the statements the function's role needs to poll a queue.

use hcl::Body;
use hcl::expr::Expression;

use super::expr::{ACCOUNT, call, tags, tpl, tr};
use super::module::Out;
use super::policy::Statement;
use crate::calls::{Trigger, triggers};
use crate::plan::Plan;
// SNS names a function endpoint's protocol `lambda`, as the kind's key reads.
use meridian_model::ServiceKind;
use meridian_model::design::Service;

/// The statements function `s`'s role needs for its event sources (receiving from its queues).
pub(super) fn statements(plan: &Plan, s: &Service) -> Vec<Statement> {
    let here = plan.region_of(&s.id).map_or("", |r| r.as_str()).to_owned();
    let mut out = Vec::new();
    for (l, caller, trigger) in triggers(plan, s) {
        if trigger != Trigger::Queue {
            continue;
        }
        let sid = plan.names.cfn(l.id.as_str());
        let queue = plan.names.tf(caller.id.as_str());
        out.push(
            Statement::allow(&sid, &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"])
                .on(vec![tr(&format!("aws_sqs_queue.{queue}.arn"))]),
        );
        out.push(Statement::allow(&format!("{sid}Key"), &["kms:Decrypt"]).on_any().when(
            "StringEquals",
            "kms:ViaService",
            vec![Expression::from(format!("sqs.{here}.amazonaws.com"))],
        ));
    }
    out
}

/// The event sources of function `s`.
pub(super) fn write(plan: &Plan, out: &mut Out, s: &Service) {
    let function = plan.names.tf(s.id.as_str());
    let arn = tr(&format!("aws_lambda_function.{function}.arn"));
    for (l, caller, trigger) in triggers(plan, s) {
        let name = plan.names.tf(l.id.as_str());
        let source = plan.names.tf(caller.id.as_str());
        match trigger {
            Trigger::Queue => out.resource(
                "aws_lambda_event_source_mapping",
                &name,
                hcl::body!({
                    event_source_arn = (tr(&format!("aws_sqs_queue.{source}.arn")))
                    function_name = (arn.clone())
                    batch_size = 10
                }),
            ),
            Trigger::Topic => {
                let topic = tr(&format!("aws_sns_topic.{source}.arn"));
                out.resource(
                    "aws_sns_topic_subscription",
                    &name,
                    hcl::body!({
                        topic_arn = (topic.clone())
                        protocol = (ServiceKind::Lambda.as_str())
                        endpoint = (arn.clone())
                    }),
                );
                permission(out, &name, &function, "sns.amazonaws.com", &topic);
            }
            Trigger::Bus => {
                let bus = tr(&format!("aws_cloudwatch_event_bus.{source}.name"));
                let pattern = call("jsonencode", vec![hcl::expression!({ "account" = [(tpl(ACCOUNT))] })]);
                out.resource(
                    "aws_cloudwatch_event_rule",
                    &name,
                    hcl::body!({
                        name = (tpl(&format!("${{var.name_prefix}}-{}", l.id)))
                        description = "Events of this account on the bus, delivered to the function"
                        event_bus_name = (bus.clone())
                        event_pattern = (pattern)
                        tags = (tags(&s.tags))
                    }),
                );
                out.resource(
                    "aws_cloudwatch_event_target",
                    &name,
                    hcl::body!({
                        rule = (tr(&format!("aws_cloudwatch_event_rule.{name}.name")))
                        event_bus_name = (bus)
                        arn = (arn.clone())
                    }),
                );
                permission(
                    out,
                    &name,
                    &function,
                    "events.amazonaws.com",
                    &tr(&format!("aws_cloudwatch_event_rule.{name}.arn")),
                );
            }
        }
    }
}

/// The function's resource policy statement admitting `principal` for `source` only.
fn permission(out: &mut Out, name: &str, function: &str, principal: &str, source: &Expression) {
    let body: Body = hcl::body!({
        statement_id = "AllowInvoke"
        action = "lambda:InvokeFunction"
        function_name = (tr(&format!("aws_lambda_function.{function}.function_name")))
        principal = (principal)
        source_arn = (source.clone())
    });
    out.resource("aws_lambda_permission", name, body);
}
