//! The one mapping from a design's ids to the names the export writes: CloudFormation logical
//! ids (`alb-euw1` as `AlbEuw1`) and Terraform resource names (`alb_euw1`), from which every
//! derived name (security groups, target groups, alarms, outputs, parameters, variables) is
//! built by appending fixed words.
//!
//! Both forms lose information (`q-1`, `q_1` and `Q.1` all read `Q1`; `..` reads nothing), so
//! the mapping is made injective by construction: ids are grouped by their sanitised form; the
//! first id of a group in id order keeps the plain form (so adding `q_1` to a design does not
//! rename the resources of `q-1`), every other id of the group, an id whose form is empty, and an
//! id the writers asked to rename (`forced`, see [`crate::export`]) gets the form followed by a
//! short hash of the id, re-hashed with a counter until it is a name no other id has. A name
//! that two writers still derive twice (an id equal to another id plus a fixed word) is caught
//! where the writers declare their names ([`Claims`]) and resolved by renaming one of the ids, or
//! refused with both ids named.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use meridian_model::design::{Design, EntityRef};

/// Hex digits of the hash suffix (32 bits: a clash among the ids of one sanitised form is
/// re-hashed anyway).
const HASH_DIGITS: usize = 8;

/// The export's names of a design's service and link ids.
#[derive(Debug, Clone, Default)]
pub struct Names {
    cfn: BTreeMap<String, String>,
    tf: BTreeMap<String, String>,
}

impl Names {
    /// The names of every service and link id of `design`; ids in `forced` get a hash suffix
    /// even when their plain form is free.
    pub fn new(design: &Design, forced: &BTreeSet<String>) -> Self {
        let mut ids: BTreeSet<String> = design.services().map(|s| s.id.to_string()).collect();
        ids.extend(design.links().map(|l| l.id.to_string()));
        Names { cfn: assign(&ids, forced, pascal, cfn_hashed), tf: assign(&ids, forced, snake, tf_hashed) }
    }

    /// The CloudFormation name of `id` (the plain form for a string that is no id of the design).
    pub fn cfn(&self, id: &str) -> String {
        self.cfn.get(id).cloned().unwrap_or_else(|| pascal(id))
    }

    /// The Terraform name of `id` (the plain form for a string that is no id of the design).
    pub fn tf(&self, id: &str) -> String {
        self.tf.get(id).cloned().unwrap_or_else(|| snake(id))
    }
}

/// Gives each id a name: the plain `form` for the first id of each form, a hashed one for the rest.
fn assign(
    ids: &BTreeSet<String>,
    forced: &BTreeSet<String>,
    form: fn(&str) -> String,
    hashed: fn(&str, &str) -> String,
) -> BTreeMap<String, String> {
    let mut by_form: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for id in ids {
        by_form.entry(form(id)).or_default().push(id);
    }
    let mut names = BTreeMap::new();
    let mut taken = BTreeSet::new();
    let mut rest = Vec::new();
    for (f, group) in &by_form {
        for (i, id) in group.iter().enumerate() {
            if i == 0 && !f.is_empty() && !forced.contains(*id) {
                taken.insert(f.clone());
                names.insert((*id).clone(), f.clone());
            } else {
                rest.push((f, *id));
            }
        }
    }
    for (f, id) in rest {
        let name = (0..u32::MAX)
            .map(|n| hashed(f, &digest(id, n)))
            .find(|name| !taken.contains(name))
            .unwrap_or_default();
        taken.insert(name.clone());
        names.insert(id.clone(), name);
    }
    names
}

/// The first hex digits of SHA-256 of `id` (with `#n` appended when `n > 0`).
fn digest(id: &str, n: u32) -> String {
    let mut h = Sha256::new();
    h.update(id.as_bytes());
    if n > 0 {
        h.update(format!("#{n}").as_bytes());
    }
    h.finalize().iter().take(HASH_DIGITS / 2).fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn cfn_hashed(form: &str, hash: &str) -> String {
    let head = if form.is_empty() { "Id" } else { form };
    format!("{head}{}", hash.to_ascii_uppercase())
}

fn tf_hashed(form: &str, hash: &str) -> String {
    format!("{form}_{hash}")
}

/// `alb-euw1` as `AlbEuw1`: the words between non-alphanumeric characters, each capitalised.
/// Only letters and digits, possibly empty; the plain CloudFormation form.
pub fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `alb-euw1` as `alb_euw1`: lower case, other characters as `_`, `r_` before a leading digit.
/// A Terraform identifier; the plain Terraform form.
pub fn snake(id: &str) -> String {
    let out: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) { format!("r_{out}") } else { out }
}

/// Who declared a name: an entity of the design, or the export itself (`None`: the region's key,
/// VPC, log bucket, backup plan, alarm topic).
pub type Owner = Option<EntityRef>;

/// A name declared twice in one file (or one Terraform module) of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    /// The file (for Terraform, the file of the second declaration).
    pub file: String,
    /// The name, e.g. `AToBToC` or `aws_sqs_queue.q_1`.
    pub name: String,
    /// Who declared it first.
    pub first: Owner,
    /// Who declared it again.
    pub second: Owner,
}

/// The names declared in one namespace (a template's resources and parameters, its outputs, a
/// Terraform module's addresses), with who declared each, and the clashes found.
#[derive(Debug, Default)]
pub struct Claims {
    owners: BTreeMap<String, (Owner, String)>,
    /// Names declared twice, in declaration order.
    pub clashes: Vec<Clash>,
}

impl Claims {
    /// Declares `name` for `owner` in `file`; `meaning` tells apart two declarations of the same
    /// thing (a parameter imported twice), which are one name, from two things with one name.
    pub fn claim(&mut self, file: &str, name: &str, owner: &Owner, meaning: &str) {
        match self.owners.get(name) {
            Some((_, m)) if m == meaning && !meaning.is_empty() => {}
            Some((first, _)) => self.clashes.push(Clash {
                file: file.to_owned(),
                name: name.to_owned(),
                first: first.clone(),
                second: owner.clone(),
            }),
            None => {
                self.owners.insert(name.to_owned(), (owner.clone(), meaning.to_owned()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(ids: &[&str]) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let ids: BTreeSet<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        let none = BTreeSet::new();
        (assign(&ids, &none, pascal, cfn_hashed), assign(&ids, &none, snake, tf_hashed))
    }

    #[test]
    fn plain_forms_stay_when_nothing_collides() {
        let (cfn, tf) = names(&["alb-euw1", "orders-use1"]);
        assert_eq!(cfn["alb-euw1"], "AlbEuw1");
        assert_eq!(tf["orders-use1"], "orders_use1");
    }

    #[test]
    fn colliding_ids_get_distinct_names_and_the_first_keeps_its_plain_form() {
        let (cfn, tf) = names(&["q-1", "q_1", "Q.1"]);
        assert_eq!(cfn["Q.1"], "Q1", "`Q.1` sorts first");
        assert_ne!(cfn["q-1"], cfn["q_1"]);
        assert!(cfn["q-1"].starts_with("Q1") && cfn["q-1"].len() == 2 + HASH_DIGITS);
        assert_eq!(tf["Q.1"], "q_1", "`Q.1` sorts first");
        assert_ne!(tf["q-1"], tf["q_1"]);
        assert!(tf["q_1"].starts_with("q_1_"));
    }

    #[test]
    fn empty_forms_get_a_hashed_name() {
        let (cfn, tf) = names(&["..", "---"]);
        assert!(cfn[".."].starts_with("Id") && cfn["---"].starts_with("Id"));
        assert_ne!(cfn[".."], cfn["---"]);
        assert_eq!(tf[".."], "__");
        assert_eq!(tf["---"], "___");
    }

    #[test]
    fn a_hashed_name_taken_by_a_plain_one_is_hashed_again() {
        let hashed = cfn_hashed("Q1", &digest("q_1", 0));
        // An id whose plain form is what `q_1` would hash to.
        let lookalike: String = hashed.chars().flat_map(|c| [c, '-']).collect();
        let (cfn, _) = names(&["q-1", "q_1", &lookalike]);
        assert_eq!(cfn[&lookalike], hashed);
        assert_ne!(cfn["q_1"], hashed);
        assert_ne!(cfn["q_1"], cfn["q-1"]);
    }

    #[test]
    fn forced_ids_are_hashed() {
        let ids: BTreeSet<String> = ["vpc".to_owned()].into();
        let forced = ids.clone();
        let cfn = assign(&ids, &forced, pascal, cfn_hashed);
        assert_ne!(cfn["vpc"], "Vpc");
        assert!(cfn["vpc"].starts_with("Vpc"));
    }

    #[test]
    fn a_repeated_declaration_of_one_thing_is_no_clash() {
        let mut c = Claims::default();
        let a = Some(EntityRef::Service("a".into()));
        let b = Some(EntityRef::Service("b".into()));
        c.claim("t", "AlbDnsName", &a, "output of stack x");
        c.claim("t", "AlbDnsName", &b, "output of stack x");
        assert!(c.clashes.is_empty());
        c.claim("t", "Vpc", &None, "");
        c.claim("t", "Vpc", &a, "");
        assert_eq!(c.clashes.len(), 1);
        assert_eq!(c.clashes[0].first, None);
        assert_eq!(c.clashes[0].second, a);
    }

    /// Ids from the id alphabet, short enough to collide often, plus the adversarial ones.
    fn id_sets() -> impl proptest::strategy::Strategy<Value = BTreeSet<String>> {
        use proptest::prelude::*;
        let adversarial = prop::sample::select(vec![
            "q-1", "q_1", "Q.1", "q:1", "..", "---", "_", ":", "1", "r_1", "r-1", "key", "vpc", "Id", "a-b",
            "aB", "Ab", "ab", "AB",
        ]);
        let short = "[qQ1rR_.:-]{1,4}";
        let long = "[a-zA-Z0-9._:-]{60,64}";
        let id = prop_oneof![adversarial.prop_map(str::to_owned), short, long];
        prop::collection::btree_set(id, 1..40)
    }

    fn cfn_valid(name: &str) -> bool {
        !name.is_empty() && name.len() <= 255 && name.chars().all(|c| c.is_ascii_alphanumeric())
    }

    /// Terraform's identifier rule: letters, digits, `_` and `-`, not starting with a digit or `-`.
    fn tf_valid(name: &str) -> bool {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }

    proptest::proptest! {
        #[test]
        fn the_mapping_is_injective_and_every_name_is_valid(ids in id_sets(), forced_bits in proptest::prelude::any::<u64>()) {
            let forced: BTreeSet<String> =
                ids.iter().enumerate().filter(|(i, _)| forced_bits >> (i % 64) & 1 == 1).map(|(_, id)| id.clone()).collect();
            let cfn = assign(&ids, &forced, pascal, cfn_hashed);
            let tf = assign(&ids, &forced, snake, tf_hashed);
            for names in [&cfn, &tf] {
                proptest::prop_assert_eq!(names.len(), ids.len());
                let distinct: BTreeSet<&String> = names.values().collect();
                proptest::prop_assert_eq!(distinct.len(), ids.len(), "two ids share a name: {:?}", names);
            }
            for (id, name) in &cfn {
                proptest::prop_assert!(cfn_valid(name), "{id} -> {name}");
                // With suffixes such as `To{target}LagAlarm` a logical id stays within 255.
                proptest::prop_assert!(name.len() <= 64 + 1 + HASH_DIGITS + 1, "{id} -> {name}");
            }
            for (id, name) in &tf {
                proptest::prop_assert!(tf_valid(name), "{id} -> {name}");
            }
            for id in ids.iter().filter(|id| !forced.contains(*id)) {
                // An id alone with its plain form keeps it.
                let alone = ids.iter().filter(|o| pascal(o) == pascal(id)).count() == 1;
                if alone && !pascal(id).is_empty() {
                    proptest::prop_assert_eq!(&cfn[id], &pascal(id));
                }
            }
        }
    }
}
