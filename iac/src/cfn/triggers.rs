//! A function's event sources (`calls::triggers`): an event source mapping from a queue, a
//! topic's subscription, an event bus rule targeting the function, and the function's resource
//! policy admitting the topic or rule; with the statements the function's role needs to poll a queue.

use serde_json::{Value, json};

use super::template::{Template, att, r, sub};
use crate::calls::{Trigger, triggers};
use crate::plan::Plan;
// SNS names a function endpoint's protocol `lambda`, as the kind's key reads.
use meridian_model::ServiceKind;
use meridian_model::design::Service;

/// The statements function `s`'s role needs for its event sources (receiving from its queues).
pub(super) fn statements(plan: &Plan, s: &Service) -> Vec<Value> {
    let mut out = Vec::new();
    for (l, caller, trigger) in triggers(plan, s) {
        if trigger != Trigger::Queue {
            continue;
        }
        let sid = plan.names.cfn(l.id.as_str());
        let queue = plan.names.cfn(caller.id.as_str());
        out.push(json!({"Sid": sid, "Effect": "Allow",
            "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], "Resource": att(&queue, "Arn")}));
        out.push(
            json!({"Sid": format!("{sid}Key"), "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": "*",
            "Condition": {"StringEquals": {"kms:ViaService": sub("sqs.${AWS::Region}.amazonaws.com")}}}),
        );
    }
    out
}

/// The event sources of function `s`.
pub(super) fn write(plan: &Plan, t: &mut Template, s: &Service) {
    let function = plan.names.cfn(s.id.as_str());
    for (l, caller, trigger) in triggers(plan, s) {
        let id = plan.names.cfn(l.id.as_str());
        let source = plan.names.cfn(caller.id.as_str());
        match trigger {
            Trigger::Queue => t.add(
                &format!("{id}Trigger"),
                "AWS::Lambda::EventSourceMapping",
                json!({"EventSourceArn": att(&source, "Arn"), "FunctionName": r(&function), "BatchSize": 10}),
            ),
            Trigger::Topic => {
                t.add(
                    &format!("{id}Subscription"),
                    "AWS::SNS::Subscription",
                    json!({"TopicArn": r(&source), "Protocol": ServiceKind::Lambda.as_str(), "Endpoint": att(&function, "Arn")}),
                );
                t.add(
                    &format!("{id}Invoke"),
                    "AWS::Lambda::Permission",
                    json!({"Action": "lambda:InvokeFunction", "FunctionName": r(&function),
                        "Principal": "sns.amazonaws.com", "SourceArn": r(&source)}),
                );
            }
            Trigger::Bus => {
                t.add(
                    &format!("{id}Rule"),
                    "AWS::Events::Rule",
                    json!({"Name": sub(&format!("${{NamePrefix}}-{}", l.id)),
                        "Description": "Events of this account on the bus, delivered to the function",
                        "EventBusName": r(&source), "State": "ENABLED",
                        "EventPattern": {"account": [r("AWS::AccountId")]},
                        "Targets": [{"Id": "Function", "Arn": att(&function, "Arn")}]}),
                );
                t.add(
                    &format!("{id}Invoke"),
                    "AWS::Lambda::Permission",
                    json!({"Action": "lambda:InvokeFunction", "FunctionName": r(&function),
                        "Principal": "events.amazonaws.com", "SourceArn": att(&format!("{id}Rule"), "Arn")}),
                );
            }
        }
    }
}
