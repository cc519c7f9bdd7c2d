//! The embedded price snapshot's provenance: it loads, every verified figure (read off an AWS page
//! or republished from a copy of one) cites a source with a URL and an as-of date, every estimate
//! says why it is one, and the number of estimates does not grow.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use meridian_model::cost::{Basis, Date, PriceSnapshot};

/// Estimated figures (prices, regional ratios and commitment factors) in the snapshot as of
/// 2026-12-03: 5 prices (SageMaker ml.m5.large, Aurora replicated write I/O, S3 RTC, AWS Backup
/// warm storage, DMS dms.t3.medium) and 6 commitment factors; the 13 ratios and 5 other prices
/// were verified in copies of AWS's price files (29 on 2026-11-26). Lower it when an estimate is
/// verified; never raise it to let a new unverified figure in.
const MAX_ESTIMATES: usize = 11;

/// One figure of the snapshot, whatever its table: what it is, how it was obtained, its source key
/// and note.
struct Figure<'a> {
    name: String,
    basis: Basis,
    source: &'a str,
    note: Option<&'a str>,
}

fn figures(snap: &PriceSnapshot) -> Vec<Figure<'_>> {
    let f = snap.file();
    let prices = f.prices.iter().map(|p| Figure {
        name: format!(
            "price {} {} in {}{}",
            p.service,
            p.dimension,
            p.region,
            match &p.to_region {
                Some(to) => format!(" to {to}"),
                None => String::new(),
            }
        ),
        basis: p.basis,
        source: &p.source,
        note: p.note.as_deref(),
    });
    let ratios = f.ratios.iter().map(|r| Figure {
        name: format!("ratio for {}", r.region),
        basis: r.basis,
        source: &r.source,
        note: r.note.as_deref(),
    });
    let commitments = f.commitments.iter().map(|c| Figure {
        name: format!("commitment {} {:?}", c.service, c.term),
        basis: c.basis,
        source: &c.source,
        note: c.note.as_deref(),
    });
    prices.chain(ratios).chain(commitments).collect()
}

#[test]
fn the_snapshot_loads_with_prices_ratios_and_commitments() {
    let snap = PriceSnapshot::builtin().unwrap();
    let f = snap.file();
    assert!(f.prices.len() > 50 && f.ratios.len() >= 12 && !f.commitments.is_empty());
    assert!(
        snap.quote(meridian_model::ServiceKind::Ec2Asg, "instance-hours:m5.large", "us-east-1").is_some()
    );
}

#[test]
fn the_number_of_estimates_does_not_grow() {
    let snap = PriceSnapshot::builtin().unwrap();
    let estimates: Vec<String> =
        figures(snap).into_iter().filter(|f| f.basis == Basis::Estimate).map(|f| f.name).collect();
    assert!(
        estimates.len() <= MAX_ESTIMATES,
        "{} estimated figures, at most {MAX_ESTIMATES} allowed; verify a figure instead of adding an \
         estimate:\n{}",
        estimates.len(),
        estimates.join("\n")
    );
}

#[test]
fn every_verified_figure_cites_a_url_and_an_as_of_date() {
    let snap = PriceSnapshot::builtin().unwrap();
    let mut verified = 0;
    for f in figures(snap) {
        if !matches!(f.basis, Basis::Read | Basis::Republished) {
            continue;
        }
        verified += 1;
        let source = snap.source(f.source).unwrap_or_else(|| panic!("{} cites no known source", f.name));
        assert!(
            source.url.starts_with("https://") && source.url.len() > "https://".len(),
            "{} cites `{}`, whose url `{}` is not an https URL",
            f.name,
            source.id,
            source.url
        );
        let as_of = Date::parse(&source.as_of)
            .unwrap_or_else(|| panic!("{} cites `{}` with as_of `{}`", f.name, source.id, source.as_of));
        assert!(as_of <= snap.as_of(), "{}: source `{}` is dated after the snapshot", f.name, source.id);
        if f.basis == Basis::Republished {
            assert!(
                f.note.is_some_and(|n| n.len() > 20),
                "{} is republished but its note does not say where it was read",
                f.name
            );
        }
    }
    assert!(verified > 60, "{verified} verified figures");
}

#[test]
fn every_estimate_says_why_it_is_one() {
    let snap = PriceSnapshot::builtin().unwrap();
    for f in figures(snap).into_iter().filter(|f| f.basis == Basis::Estimate) {
        let note = f.note.unwrap_or_default();
        assert!(note.starts_with("Estimate:"), "{}: the note must start with `Estimate:`: {note:?}", f.name);
        let reason = ["not found", "not verified", "not seen", "no stored copy", "same reason"];
        assert!(
            reason.iter().any(|r| note.contains(r)),
            "{}: the note must say why the figure could not be verified: {note:?}",
            f.name
        );
    }
}
