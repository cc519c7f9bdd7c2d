//! Settings and policy statements several resources share: the S3 public access block and
//! the statements that deny access without TLS.

use serde_json::{Value, json};

/// Every S3 public access block setting on.
pub(super) fn public_access_block() -> Value {
    json!({"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
}

/// A bucket policy statement denying any request on `resources` made without TLS.
#[allow(
    clippy::needless_pass_by_value,
    reason = "json! reads its arguments by reference; callers build the values inline"
)]
pub(super) fn deny_insecure(resources: Vec<Value>) -> Value {
    json!({"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resources,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
}

/// A resource policy document denying `action` on `resource` without TLS.
#[allow(
    clippy::needless_pass_by_value,
    reason = "json! reads its arguments by reference; callers build the values inline"
)]
pub(super) fn tls_only(action: &str, resource: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": action, "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
}
