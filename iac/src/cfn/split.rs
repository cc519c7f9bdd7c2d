//! Splitting a template that exceeds CloudFormation's quotas into a parent stack and nested
//! stacks.
//!
//! The quotas (AWS CloudFormation User Guide, "Understand CloudFormation quotas", read December
//! 2026): 500 resources, 200 parameters and 200 outputs per template, and a template body of at
//! most 1 MB from S3 (51,200 bytes inline, which is why a split template is deployed through
//! `aws cloudformation package`). A template within them is left alone.
//!
//! Resources are taken in dependency order (what a resource references comes first, otherwise
//! the template's key order, which keeps a service's resources together) and cut into parts that
//! each stay within the quotas with room to spare. A reference from one part to a resource of an
//! earlier part becomes an output of that part and a parameter of the later one, passed by the
//! parent with `Fn::GetAtt [Part, Outputs.Name]`; a `DependsOn` across parts becomes one between
//! the nested stacks. The parent keeps the template's parameters and outputs (so other stacks
//! and `DEPLOY.md` still name the same outputs), its outputs now read from the parts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

/// Resources per template (the quota).
pub(super) const MAX_RESOURCES: usize = 500;
/// Outputs per template (the quota).
pub(super) const MAX_OUTPUTS: usize = 200;
/// Parameters per template (the quota).
pub(super) const MAX_PARAMETERS: usize = 200;
/// Bytes of a template body read from S3 (the quota).
pub(super) const MAX_BODY_BYTES: usize = 1_000_000;

/// Resources per part: below the quota, so a part's own additions never reach it.
pub(super) const PART_RESOURCES: usize = 400;
/// Parameters per part, leaving room below the quota.
pub(super) const PART_PARAMETERS: usize = 180;
/// Resources referenced by more than this many others are hubs (the VPC, subnets, the KMS key),
/// placed first and left out of the clustering.
const HUB_USERS: usize = 8;
/// Outputs a part gives the parent (the template's own outputs), leaving room below the quota for
/// what later parts read from it.
pub(super) const PART_OUTPUTS: usize = 100;
/// Compact JSON bytes of a part's resources: rendered as pretty JSON or YAML a part stays well
/// below the S3 body quota.
pub(super) const PART_BYTES: usize = 400_000;

/// A template cut into a parent and its parts.
pub(super) struct Split {
    /// The parent template document.
    pub(super) parent: Value,
    /// How many parts were handed to the caller.
    pub(super) parts: usize,
    /// Which quota made the split, for the warning.
    pub(super) reason: String,
    /// Whether the template's outputs moved to the parts (there were more than the quota).
    pub(super) outputs_moved: bool,
}

/// What a resource refers to: (resource, attribute) pairs, `None` for a `Ref`, [`DEPENDS`] for a
/// `DependsOn` (an order, not a value: no parameter carries it).
pub(super) type Refs = BTreeSet<(String, Option<String>)>;

/// The attribute that marks a `DependsOn` in [`Refs`] (no attribute name starts with `!`).
pub(super) const DEPENDS: &str = "!DependsOn";

#[allow(clippy::trivially_copy_pass_by_ref, reason = "a filter predicate takes its item by reference")]
fn is_value((_, attr): &&(String, Option<String>)) -> bool {
    attr.as_deref() != Some(DEPENDS)
}

/// Which quota `doc` (a template document) exceeds, if any; `body_bytes` is its rendered size.
pub(super) fn exceeded(doc: &Value, body_bytes: usize) -> Option<String> {
    let count = |key: &str| doc.get(key).and_then(Value::as_object).map_or(0, Map::len);
    if count("Resources") > MAX_RESOURCES {
        Some(format!(
            "{} resources exceed CloudFormation's quota of {MAX_RESOURCES} resources per template",
            count("Resources")
        ))
    } else if body_bytes > MAX_BODY_BYTES {
        Some(format!(
            "a body of {body_bytes} bytes exceeds CloudFormation's quota of {MAX_BODY_BYTES} bytes per template (from S3)"
        ))
    } else {
        None
    }
}

/// Splits `doc` into a parent and parts named by `part_file(i)` (1-based) for their `TemplateURL`.
/// Each part is handed to `emit` (with its 0-based index) as soon as it is built, so only one is
/// held at a time; an error of `emit` stops the split.
#[allow(
    clippy::too_many_lines,
    reason = "one pass: cut, then wire the parts and the parent; the wiring shares every map"
)]
pub(super) fn split<E>(
    doc: &Value,
    reason: String,
    part_file: &dyn Fn(usize) -> String,
    emit: &mut dyn FnMut(usize, Value) -> Result<(), E>,
) -> Result<Split, E> {
    let empty = Map::new();
    let section = |key: &str| doc.get(key).and_then(Value::as_object).unwrap_or(&empty);
    let (params, resources, outputs) = (section("Parameters"), section("Resources"), section("Outputs"));
    let refs: BTreeMap<&str, Refs> =
        resources.iter().map(|(id, r)| (id.as_str(), references(r, resources, params))).collect();
    let order = dependency_order(resources, &refs);
    // What the template's outputs read, and how many of them each resource gives.
    let parent_refs: Refs = outputs.values().flat_map(|o| references(o, resources, params)).collect();
    let mut parent_reads: BTreeMap<&str, usize> = BTreeMap::new();
    for o in outputs.values() {
        let read: BTreeSet<String> = references(o, resources, params).into_iter().map(|(to, _)| to).collect();
        for to in read {
            if let Some((k, _)) = resources.get_key_value(to.as_str()) {
                *parent_reads.entry(k.as_str()).or_default() += 1;
            }
        }
    }
    // Cut into parts.
    let mut part_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut parts: Vec<Vec<&str>> = vec![Vec::new()];
    let (mut bytes, mut inputs, mut outs) = (0usize, BTreeSet::new(), 0usize);
    for id in order {
        let size = resources.get(id).map_or(0, |r| r.to_string().len());
        let gives_parent = parent_reads.get(id).copied().unwrap_or(0);
        let current = parts.len() - 1;
        let outside = |(to, _): &&(String, Option<String>)| part_of.get(to.as_str()) != Some(&current);
        let more = refs[id].iter().filter(is_value).filter(outside).filter(|r| !inputs.contains(*r)).count();
        let full = parts[current].len() >= PART_RESOURCES
            || bytes + size > PART_BYTES
            || inputs.len() + more > PART_PARAMETERS
            || outs + gives_parent > PART_OUTPUTS;
        if full && !parts[current].is_empty() {
            parts.push(Vec::new());
            bytes = 0;
            inputs.clear();
            outs = 0;
        }
        outs += gives_parent;
        let current = parts.len() - 1;
        inputs.extend(
            refs[id]
                .iter()
                .filter(is_value)
                .filter(|(to, _)| part_of.get(to.as_str()) != Some(&current))
                .cloned(),
        );
        bytes += size;
        part_of.insert(id, current);
        parts[current].push(id);
    }
    // What each part needs from outside (parent parameters or earlier parts), what it gives.
    let mut needs: Vec<Refs> = vec![Refs::new(); parts.len()];
    let mut gives: Vec<Refs> = vec![Refs::new(); parts.len()];
    let mut after: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); parts.len()];
    for (i, ids) in parts.iter().enumerate() {
        for id in ids {
            for (to, attr) in &refs[id] {
                let part = part_of.get(to.as_str()).copied();
                cross_part(i, part, to, attr.as_deref(), &mut needs, &mut gives, &mut after);
            }
        }
    }
    // The template's outputs stay in the parent when they fit its quota; otherwise each moves to
    // the part holding what it reads (the last, when it reads several), which imports the rest.
    let keep_outputs = outputs.len() <= MAX_OUTPUTS;
    let mut moved: Vec<Map<String, Value>> = vec![Map::new(); parts.len()];
    if keep_outputs {
        for (to, attr) in &parent_refs {
            if let Some(&j) = part_of.get(to.as_str()) {
                gives[j].insert((to.clone(), attr.clone()));
            }
        }
    } else {
        for (name, o) in outputs {
            let reads = references(o, resources, params);
            let home =
                reads.iter().filter_map(|(to, _)| part_of.get(to.as_str()).copied()).max().unwrap_or(0);
            for (to, attr) in reads {
                match part_of.get(to.as_str()) {
                    Some(&j) if j == home => {}
                    Some(&j) => {
                        gives[j].insert((to.clone(), attr.clone()));
                        needs[home].insert((to, attr));
                        after[home].insert(j);
                    }
                    None => {
                        needs[home].insert((to, None));
                    }
                }
            }
            moved[home].insert(name.clone(), o.clone());
        }
    }
    // Parameters with a default move to the parts that use them when the template has more than
    // its quota (the parent keeps those the deployer must give, and those its outputs read).
    let parent_params: BTreeSet<&str> =
        if keep_outputs { parent_refs.iter().map(|(to, _)| to.as_str()).collect() } else { BTreeSet::new() };
    let moves_param = |p: &str| {
        params.len() > MAX_PARAMETERS
            && params.get(p).is_some_and(|d| d.get("Default").is_some())
            && !parent_params.contains(p)
    };
    // The parts.
    let mut stacks = Map::new();
    for (i, ids) in parts.iter().enumerate() {
        let local = |to: &str| part_of.get(to) == Some(&i);
        let mut p_params = Map::new();
        let mut passed = Map::new();
        for (to, attr) in &needs[i] {
            if let Some(def) = params.get(to) {
                p_params.insert(to.clone(), def.clone());
                if !moves_param(to) {
                    passed.insert(to.clone(), json!({"Ref": to}));
                }
            } else if let Some(&j) = part_of.get(to.as_str()) {
                let name = input_name(to, attr.as_deref());
                p_params.insert(
                    name.clone(),
                    json!({"Type": "String", "Description": format!("{} of {to} (nested stack {})", attr.as_deref().unwrap_or("Ref"), part_name(j))}),
                );
                passed.insert(name, json!({"Fn::GetAtt": [part_name(j), format!("Outputs.{}", output_name(to, attr.as_deref()))]}));
            }
        }
        let mut p_resources = Map::new();
        let mut depends: BTreeSet<usize> = after[i].clone();
        for id in ids {
            let mut r = resources[*id].clone();
            rewrite(&mut r, &|to, attr| {
                part_of.get(to).is_some_and(|&j| j != i).then(|| input_name(to, attr))
            });
            if let Some(obj) = r.as_object_mut() {
                depends.extend(local_depends(obj, &local, &part_of));
            }
            p_resources.insert((*id).to_owned(), r);
        }
        let mut p_outputs = Map::new();
        for (name, o) in &moved[i] {
            let mut o = o.clone();
            rewrite(&mut o, &|to, attr| {
                part_of.get(to).is_some_and(|&j| j != i).then(|| input_name(to, attr))
            });
            p_outputs.insert(name.clone(), o);
        }
        for (to, attr) in &gives[i] {
            let value = match attr {
                None => json!({"Ref": to}),
                Some(a) => json!({"Fn::GetAtt": [to, a]}),
            };
            p_outputs.insert(output_name(to, attr.as_deref()), json!({"Value": value}));
        }
        let mut part = Map::new();
        part.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        part.insert(
            "Description".into(),
            json!(format!("Part {} of {}: {} resources", i + 1, parts.len(), ids.len())),
        );
        if !p_params.is_empty() {
            part.insert("Parameters".into(), Value::Object(p_params));
        }
        part.insert("Resources".into(), Value::Object(p_resources));
        if !p_outputs.is_empty() {
            part.insert("Outputs".into(), Value::Object(p_outputs));
        }
        emit(i, Value::Object(part))?;
        let mut stack =
            json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": part_file(i + 1)}});
        if !passed.is_empty() {
            stack["Properties"]["Parameters"] = Value::Object(passed);
        }
        depends.remove(&i);
        // A part whose output is passed in is waited for already (cfn-lint W3005).
        for (to, _) in &needs[i] {
            if let Some(j) = part_of.get(to.as_str()) {
                depends.remove(j);
            }
        }
        if !depends.is_empty() {
            stack["DependsOn"] = json!(depends.iter().map(|&j| part_name(j)).collect::<Vec<_>>());
        }
        stacks.insert(part_name(i), stack);
    }
    // The parent: the same parameters and outputs, the parts as its resources.
    let mut parent = Map::new();
    for (k, v) in doc.as_object().unwrap_or(&empty) {
        match k.as_str() {
            "Resources" => {
                parent.insert(k.clone(), Value::Object(stacks.clone()));
            }
            "Outputs" if !keep_outputs => {}
            "Parameters" => {
                let kept: Map<String, Value> = params
                    .iter()
                    .filter(|(p, _)| !moves_param(p))
                    .map(|(p, d)| (p.clone(), d.clone()))
                    .collect();
                if !kept.is_empty() {
                    parent.insert(k.clone(), Value::Object(kept));
                }
            }
            "Outputs" => {
                let mut o = v.clone();
                rewrite(&mut o, &|to, attr| {
                    part_of.get(to).map(|&j| format!("{}.Outputs.{}", part_name(j), output_name(to, attr)))
                });
                parent.insert(k.clone(), o);
            }
            _ => {
                parent.insert(k.clone(), v.clone());
            }
        }
    }
    parent.insert("Metadata".into(), lint_metadata());
    Ok(Split { parent: Value::Object(parent), parts: parts.len(), reason, outputs_moved: !keep_outputs })
}

/// Records one reference of a resource in part `i` to `to` (attribute `attr`), which lies in part
/// `part` (`None`: outside the template, a parameter): a reference to another part is an input
/// of part `i`, an output of that part, and an order (`i` after it); a `DependsOn` on another
/// part is only the order; a reference to a parameter is an input.
pub(super) fn cross_part(
    i: usize,
    part: Option<usize>,
    to: &str,
    attr: Option<&str>,
    needs: &mut [Refs],
    gives: &mut [Refs],
    after: &mut [BTreeSet<usize>],
) {
    match part {
        Some(j) if j == i => {}
        Some(j) if attr == Some(DEPENDS) => {
            after[i].insert(j);
        }
        None if attr == Some(DEPENDS) => {}
        Some(j) => {
            needs[i].insert((to.to_owned(), attr.map(str::to_owned)));
            gives[j].insert((to.to_owned(), attr.map(str::to_owned)));
            after[i].insert(j);
        }
        None => {
            needs[i].insert((to.to_owned(), None));
        }
    }
}

/// The parent's `Metadata`: cfn-lint's W3002 ("may only work with `package`") is what a parent
/// whose parts are local files is meant to do (DEPLOY.md packages it first), so it is silenced.
pub(super) fn lint_metadata() -> Value {
    json!({"cfn-lint": {"config": {"ignore_checks": ["W3002"]}}})
}

/// The logical id of part `i` (0-based) in the parent.
pub(super) fn part_name(i: usize) -> String {
    format!("Part{}", i + 1)
}

/// Letters and digits of `text`: logical ids and output names allow nothing else.
fn alnum(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The output of a part that carries `Ref to` or `GetAtt to.attr`.
pub(super) fn output_name(to: &str, attr: Option<&str>) -> String {
    format!("Out{to}{}", attr.map_or_else(|| "Ref".to_owned(), alnum))
}

/// The parameter of a part that receives it.
pub(super) fn input_name(to: &str, attr: Option<&str>) -> String {
    format!("In{to}{}", attr.map_or_else(|| "Ref".to_owned(), alnum))
}

/// Resources in an order where each comes after what it references, in clusters: resources
/// referenced by many (the VPC, subnets, the KMS key: hubs) first, then the groups that reference
/// each other apart from the hubs (one service's or one cell's resources), each group together,
/// so that a cut between parts separates few references.
fn dependency_order<'a>(resources: &'a Map<String, Value>, refs: &BTreeMap<&'a str, Refs>) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(resources.len());
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let index: BTreeMap<&str, usize> = resources.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut users = vec![0usize; resources.len()];
    for r in refs.values() {
        let targets: BTreeSet<&str> = r.iter().map(|(to, _)| to.as_str()).collect();
        for to in targets {
            if let Some(&j) = index.get(to) {
                users[j] += 1;
            }
        }
    }
    let hub = |i: usize| users[i] > HUB_USERS;
    // Union-find over references between resources that are not hubs.
    let mut parent: Vec<usize> = (0..resources.len()).collect();
    for (from, r) in refs {
        let Some(&a) = index.get(from) else { continue };
        for (to, _) in r {
            if let Some(&b) = index.get(to.as_str())
                && !hub(a)
                && !hub(b)
            {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    let keys: Vec<&'a str> = resources.keys().map(String::as_str).collect();
    let mut roots: Vec<(usize, usize, usize)> =
        (0..keys.len()).map(|i| if hub(i) { (0, i, i) } else { (1, find(&mut parent, i), i) }).collect();
    roots.sort_unstable();
    let roots = roots.into_iter().map(|(_, _, i)| keys[i]);
    for root in roots {
        // Iterative depth-first post-order: (id, whether its references are done).
        let mut stack: Vec<(&'a str, bool)> = vec![(root, false)];
        while let Some((id, done)) = stack.pop() {
            if done {
                out.push(id);
                continue;
            }
            if !seen.insert(id) {
                continue;
            }
            stack.push((id, true));
            for (to, _) in refs.get(id).into_iter().flatten().rev() {
                if let Some((k, _)) = resources.get_key_value(to.as_str())
                    && !seen.contains(k.as_str())
                {
                    stack.push((k.as_str(), false));
                }
            }
        }
    }
    out
}

/// The representative of `i`'s set in a union-find forest (with path halving).
fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The resources and parameters `value` references: `Ref`, `Fn::GetAtt`, `${...}` in
/// `Fn::Sub` and `DependsOn`; pseudo parameters (`AWS::Region`) are left out.
fn references(value: &Value, resources: &Map<String, Value>, params: &Map<String, Value>) -> Refs {
    references_where(value, &|id| resources.contains_key(id) || params.contains_key(id))
}

/// The names `value` references that `known` accepts, as [`references`] finds them.
pub(super) fn references_where(value: &Value, known: &dyn Fn(&str) -> bool) -> Refs {
    let mut out = Refs::new();
    walk(value, &mut |v| {
        if let Value::Object(o) = v {
            if let Some(Value::String(id)) = o.get("Ref")
                && known(id)
            {
                out.insert((id.clone(), None));
            }
            if let Some((id, attr)) = o.get("Fn::GetAtt").and_then(get_att)
                && known(&id)
            {
                out.insert((id, Some(attr)));
            }
            let sub = match o.get("Fn::Sub") {
                Some(Value::String(s)) => Some(s.as_str()),
                Some(Value::Array(a)) => a.first().and_then(Value::as_str),
                _ => None,
            };
            for name in sub.map(sub_names).unwrap_or_default() {
                let (id, attr) = match name.split_once('.') {
                    Some((id, attr)) => (id.to_owned(), Some(attr.to_owned())),
                    None => (name.clone(), None),
                };
                if known(&id) {
                    out.insert((id, attr));
                }
            }
            match o.get("DependsOn") {
                Some(Value::String(id)) if known(id) => {
                    out.insert((id.clone(), Some(DEPENDS.to_owned())));
                }
                Some(Value::Array(ids)) => {
                    for id in ids.iter().filter_map(Value::as_str).filter(|id| known(id)) {
                        out.insert((id.to_owned(), Some(DEPENDS.to_owned())));
                    }
                }
                _ => {}
            }
        }
    });
    out
}

/// `[id, attr]` or `"id.attr"`.
fn get_att(v: &Value) -> Option<(String, String)> {
    match v {
        Value::Array(a) => Some((a.first()?.as_str()?.to_owned(), a.get(1)?.as_str()?.to_owned())),
        Value::String(s) => s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())),
        _ => None,
    }
}

/// The names in `${...}` of a `Fn::Sub` string (not `${!literal}`).
fn sub_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

fn walk(value: &Value, f: &mut dyn FnMut(&Value)) {
    f(value);
    match value {
        Value::Object(o) => o.values().for_each(|v| walk(v, f)),
        Value::Array(a) => a.iter().for_each(|v| walk(v, f)),
        _ => {}
    }
}

/// Rewrites references that `to(id, attr)` maps to a new name: `Ref`/`Fn::GetAtt` become a `Ref`
/// to that parameter, or a `Fn::GetAtt` when the name has a dot (`Part2.Outputs.X`); `${...}` in
/// `Fn::Sub` the new name.
pub(super) fn rewrite(value: &mut Value, to: &dyn Fn(&str, Option<&str>) -> Option<String>) {
    let replace = |name: String| -> Value {
        match name.split_once('.') {
            Some((id, attr)) => json!({"Fn::GetAtt": [id, attr]}),
            None => json!({"Ref": name}),
        }
    };
    match value {
        Value::Object(o) => {
            if o.len() == 1 {
                if let Some(Value::String(id)) = o.get("Ref")
                    && let Some(name) = to(id, None)
                {
                    *value = replace(name);
                    return;
                }
                if let Some((id, attr)) = o.get("Fn::GetAtt").and_then(get_att)
                    && let Some(name) = to(&id, Some(&attr))
                {
                    *value = replace(name);
                    return;
                }
            }
            if let Some(sub) = o.get_mut("Fn::Sub") {
                let text = match sub {
                    Value::String(s) => Some(s),
                    Value::Array(a) => a.first_mut().and_then(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    }),
                    _ => None,
                };
                if let Some(text) = text {
                    *text = rewrite_sub(text, to);
                }
            }
            for (k, v) in o.iter_mut() {
                if k != "Fn::Sub" && k != "DependsOn" {
                    rewrite(v, to);
                }
            }
            if let Some(Value::Array(a)) = o.get_mut("Fn::Sub") {
                a.iter_mut().skip(1).for_each(|v| rewrite(v, to));
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|v| rewrite(v, to)),
        _ => {}
    }
}

fn rewrite_sub(text: &str, to: &dyn Fn(&str, Option<&str>) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            rest = after;
            break;
        };
        let name = &after[..end];
        let (id, attr) = match name.split_once('.') {
            Some((id, attr)) => (id, Some(attr)),
            None => (name, None),
        };
        match (name.starts_with('!'), to(id, attr)) {
            (false, Some(new)) => out.push_str(&new),
            _ => out.push_str(name),
        }
        out.push('}');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Keeps in a resource's `DependsOn` only resources of its own part; returns the parts of the
/// others (the nested stack then depends on theirs).
fn local_depends(
    obj: &mut Map<String, Value>,
    local: &dyn Fn(&str) -> bool,
    part_of: &BTreeMap<&str, usize>,
) -> BTreeSet<usize> {
    let mut parts = BTreeSet::new();
    let ids: Vec<String> = match obj.get("DependsOn") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => return parts,
    };
    let (kept, moved): (Vec<String>, Vec<String>) = ids.into_iter().partition(|id| local(id));
    parts.extend(moved.iter().filter_map(|id| part_of.get(id.as_str()).copied()));
    if kept.is_empty() {
        obj.remove("DependsOn");
    } else {
        obj.insert("DependsOn".into(), json!(kept));
    }
    parts
}
