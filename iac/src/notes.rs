//! What the export asks of the reader for the kinds whose resources need something only the
//! reader has (a model image, a customer device's address, an account-wide role) or that a
//! format cannot declare: one note per service, shown as a warning and in `DEPLOY.md`.

use std::collections::BTreeSet;

use meridian_model::ServiceKind;
use meridian_model::design::Design;
use meridian_model::ids::ServiceId;

/// Why Direct Connect is only partly declared: the reason both writers give.
pub const DIRECT_CONNECT_REASON: &str = "Direct Connect connections and their virtual interfaces are ordered from AWS or a partner at a \
     location, not declared; CloudFormation has no Direct Connect resource types, and Terraform declares only the Direct Connect \
     gateway they attach to (`aws_dx_gateway`, exported)";

/// The notes of the exported services of `design`, in service order.
pub fn kind_notes(design: &Design, exported: &BTreeSet<ServiceId>) -> Vec<String> {
    let mut notes = Vec::new();
    let mut services: Vec<_> = design.services().filter(|s| exported.contains(&s.id)).collect();
    services.sort_by(|a, b| a.id.cmp(&b.id));
    for s in services {
        let id = &s.id;
        let note = match s.kind {
            ServiceKind::DirectConnect => Some(format!(
                "service {id} (kind direct-connect) is exported only in part: {DIRECT_CONNECT_REASON}; order the \
                 connection and create its virtual interface to the gateway by hand"
            )),
            ServiceKind::Dms => Some(format!(
                "service {id} (DMS): the account needs the IAM role `dms-vpc-role` (AmazonDMSVPCManagementRole) before \
                 the replication subnet group can be created; it is one per account, so the export does not declare it; \
                 endpoints and replication tasks name databases the design does not model: add them by hand"
            )),
            ServiceKind::SageMakerEndpoint => Some(format!(
                "service {id} (SageMaker endpoint): set the model's inference container image (a parameter / variable \
                 without a default); the model runs with network isolation"
            )),
            ServiceKind::SiteToSiteVpn => Some(format!(
                "service {id} (Site-to-Site VPN): set the public IPv4 address of your customer gateway device (a \
                 parameter / variable without a default); routes are learned over BGP and propagated to the private \
                 route table"
            )),
            ServiceKind::Iam => Some(format!(
                "service {id} (IAM): the role may be assumed by the account's principals with MFA and grants nothing \
                 yet; attach the permissions its users need"
            )),
            ServiceKind::LambdaEdge => Some(format!(
                "service {id} (Lambda@Edge): a published version with a placeholder handler is exported; associate the \
                 version with a CloudFront cache behaviour (viewer or origin event) and deploy your code over it"
            )),
            ServiceKind::Rds if s.config.count > 2 => Some(format!(
                "service {id} (RDS): {} instances are written as one Multi-AZ instance (a primary and its standby) and {} \
                 read replicas",
                s.config.count,
                s.config.count - 2
            )),
            _ => None,
        };
        notes.extend(note);
    }
    notes
}
