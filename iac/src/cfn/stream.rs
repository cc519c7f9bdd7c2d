//! Splitting a large template into nested stacks while it is built, so that a region of tens of
//! thousands of services is never held whole.
//!
//! A template that passes CloudFormation's resource quota ([`split::MAX_RESOURCES`]) while it is
//! built is built twice. The first pass ([`Measure`]) keeps of each resource only its size and the
//! names it references, and drops it; from that [`Cut::plan`] places the resources into parts
//! within the quotas of `split.rs` and works out which values cross between parts (outputs of one
//! part, parameters of another, passed by the parent). The second pass ([`Stream`]) builds the
//! template again and writes each part to the sink as soon as its last resource and output have
//! arrived, then drops it; the parent is rendered last, from the cut alone.
//!
//! Resources are placed in the order they are built (a service's resources together), except that
//! one waits for the resources it references when they come later: a part never reads from a
//! later part, so the nested stacks form no cycle. The result is deterministic (the build order
//! is), but it is not the cut `split.rs` makes of a whole template, which orders by clusters.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::render::render;
use super::split::{self, DEPENDS, Refs, input_name, output_name, part_name, references_where, rewrite};
use crate::bundle::{ExportError, ExportFile, TemplateSyntax};
use crate::sink::ExportSink;

/// Names (resource ids, parameters, attributes) as small numbers.
#[derive(Default)]
struct Names {
    index: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.index.insert(name.into(), i);
        self.names.push(name.into());
        i
    }

    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", |n| n)
    }
}

/// A resource as the first pass keeps it.
struct Row {
    id: u32,
    bytes: usize,
    /// Referenced name and attribute (0: a `Ref`, otherwise the attribute's name + 1).
    refs: Vec<(u32, u32)>,
}

/// The first pass: what each resource references and how large it is, in build order.
#[derive(Default)]
pub(super) struct Measure {
    names: Names,
    rows: Vec<Row>,
    /// The row of each resource id.
    row_of: HashMap<u32, usize>,
}

impl Measure {
    /// Records resource `id` and forgets its body (an id given twice keeps its last body, as a
    /// template does; the export reports the clash).
    pub(super) fn take(&mut self, id: &str, resource: &Value) {
        let refs = references_where(resource, &|n| !n.starts_with("AWS::"));
        let refs = refs
            .into_iter()
            .map(|(to, attr)| (self.names.id(&to), attr.map_or(0, |a| self.names.id(&a) + 1)))
            .collect();
        let id = self.names.id(id);
        let row = Row { id, bytes: resource.to_string().len(), refs };
        if let Some(&i) = self.row_of.get(&id) {
            self.rows[i] = row;
        } else {
            self.row_of.insert(id, self.rows.len());
            self.rows.push(row);
        }
    }
}

/// Where every resource and output goes, and what the parts pass each other.
pub(super) struct Cut {
    /// Part (0-based) of each resource.
    part_of: HashMap<Box<str>, usize>,
    /// Resources per part.
    members: Vec<usize>,
    /// What each part reads from outside it (parameters of the parent or outputs of earlier parts).
    needs: Vec<Refs>,
    /// What each part gives to later parts and to the parent.
    gives: Vec<Refs>,
    /// The earlier parts each part waits for.
    after: Vec<BTreeSet<usize>>,
    /// Whether the template's outputs stay in the parent (within the quota).
    keep_outputs: bool,
    /// The part of each output, when they move to the parts.
    output_home: HashMap<String, usize>,
    /// Outputs per part, when they move.
    outputs_in: Vec<usize>,
    /// Parameters with a default that move to the parts using them (more than the quota).
    moved_params: BTreeSet<String>,
    /// Which quota made the split, for the warning.
    pub(super) reason: String,
}

impl Cut {
    /// Places the measured resources into parts, given the template's parameters and outputs.
    #[allow(clippy::too_many_lines, reason = "one pass over the measured rows: order, cut, wiring")]
    pub(super) fn plan(measure: Measure, params: &Map<String, Value>, outputs: &Map<String, Value>) -> Cut {
        let Measure { names, rows, row_of } = measure;
        let reason = format!(
            "{} resources exceed CloudFormation's quota of {} resources per template",
            rows.len(),
            split::MAX_RESOURCES
        );
        let known =
            |n: &str| params.contains_key(n) || names.index.get(n).is_some_and(|i| row_of.contains_key(i));
        let attr = |a: u32| (a > 0).then(|| names.name(a - 1).to_owned());
        let refs_of = |r: &Row| -> Refs {
            r.refs
                .iter()
                .filter(|(to, _)| known(names.name(*to)))
                .map(|&(to, a)| (names.name(to).to_owned(), attr(a)))
                .collect()
        };
        // Build order, each resource after the resources it references.
        let mut order: Vec<usize> = Vec::with_capacity(rows.len());
        let mut placed = vec![false; rows.len()];
        let mut missing = vec![0usize; rows.len()];
        let mut waiting: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let deps: BTreeSet<usize> = r
                .refs
                .iter()
                .filter_map(|(to, _)| row_of.get(to).copied())
                .filter(|&j| j != i && !placed[j])
                .collect();
            missing[i] = deps.len();
            for j in &deps {
                waiting.entry(*j).or_default().push(i);
            }
            if deps.is_empty() {
                let mut ready = vec![i];
                while let Some(k) = ready.pop() {
                    placed[k] = true;
                    order.push(k);
                    for w in waiting.remove(&k).unwrap_or_default() {
                        missing[w] -= 1;
                        if missing[w] == 0 && !placed[w] {
                            ready.push(w);
                        }
                    }
                }
            }
        }
        // A cycle cannot deploy anyway; its resources go last, in build order.
        order.extend((0..rows.len()).filter(|&i| !placed[i]));
        // Outputs: what the parent reads, and how many of its outputs each resource gives.
        let output_refs: Vec<(&String, Refs)> =
            outputs.iter().map(|(n, o)| (n, references_where(o, &known))).collect();
        let mut parent_reads: HashMap<&str, usize> = HashMap::new();
        for (_, refs) in &output_refs {
            let read: BTreeSet<&str> = refs.iter().map(|(to, _)| to.as_str()).collect();
            for to in read {
                *parent_reads.entry(to).or_default() += 1;
            }
        }
        // Cut into parts, as `split.rs` does.
        let mut part_of: HashMap<Box<str>, usize> = HashMap::new();
        let mut members = vec![0usize];
        let (mut bytes, mut inputs, mut outs) = (0usize, Refs::new(), 0usize);
        for &i in &order {
            let r = &rows[i];
            let id = names.name(r.id);
            let refs = refs_of(r);
            let gives_parent = parent_reads.get(id).copied().unwrap_or(0);
            let current = members.len() - 1;
            let outside = |to: &str| part_of.get(to) != Some(&current);
            let more = refs
                .iter()
                .filter(|(to, a)| {
                    a.as_deref() != Some(DEPENDS) && outside(to) && !inputs.contains(&(to.clone(), a.clone()))
                })
                .count();
            let full = members[current] >= split::PART_RESOURCES
                || bytes + r.bytes > split::PART_BYTES
                || inputs.len() + more > split::PART_PARAMETERS
                || outs + gives_parent > split::PART_OUTPUTS;
            if full && members[current] > 0 {
                members.push(0);
                bytes = 0;
                inputs.clear();
                outs = 0;
            }
            let current = members.len() - 1;
            outs += gives_parent;
            for (to, a) in &refs {
                if a.as_deref() != Some(DEPENDS) && part_of.get(to.as_str()) != Some(&current) {
                    inputs.insert((to.clone(), a.clone()));
                }
            }
            bytes += r.bytes;
            part_of.insert(id.into(), current);
            members[current] += 1;
        }
        let n = members.len();
        let (mut needs, mut gives) = (vec![Refs::new(); n], vec![Refs::new(); n]);
        let mut after = vec![BTreeSet::new(); n];
        // The references again (not kept from the cut: for a large region they would be most of
        // the pass's memory).
        for r in &rows {
            let Some(&i) = part_of.get(names.name(r.id)) else { continue };
            for (to, a) in &refs_of(r) {
                let part = part_of.get(to.as_str()).copied();
                split::cross_part(i, part, to, a.as_deref(), &mut needs, &mut gives, &mut after);
            }
        }
        let keep_outputs = outputs.len() <= split::MAX_OUTPUTS;
        let mut output_home = HashMap::new();
        let mut outputs_in = vec![0usize; n];
        let mut parent_params = BTreeSet::new();
        for (name, reads) in output_refs {
            if keep_outputs {
                for (to, a) in reads {
                    match part_of.get(to.as_str()) {
                        Some(&j) => {
                            gives[j].insert((to, a));
                        }
                        None => {
                            parent_params.insert(to);
                        }
                    }
                }
                continue;
            }
            let home =
                reads.iter().filter_map(|(to, _)| part_of.get(to.as_str()).copied()).max().unwrap_or(0);
            for (to, a) in reads {
                match part_of.get(to.as_str()) {
                    Some(&j) if j == home => {}
                    Some(&j) => {
                        gives[j].insert((to.clone(), a.clone()));
                        needs[home].insert((to, a));
                        after[home].insert(j);
                    }
                    None => {
                        needs[home].insert((to, None));
                    }
                }
            }
            output_home.insert(name.clone(), home);
            outputs_in[home] += 1;
        }
        let moved_params = if params.len() > split::MAX_PARAMETERS {
            params
                .iter()
                .filter(|(p, d)| d.get("Default").is_some() && !parent_params.contains(*p))
                .map(|(p, _)| p.clone())
                .collect()
        } else {
            BTreeSet::new()
        };
        Cut {
            part_of,
            members,
            needs,
            gives,
            after,
            keep_outputs,
            output_home,
            outputs_in,
            moved_params,
            reason,
        }
    }

    /// How many parts.
    pub(super) fn parts(&self) -> usize {
        self.members.len()
    }

    /// Whether the template's outputs moved to the parts.
    pub(super) fn outputs_moved(&self) -> bool {
        !self.keep_outputs
    }

    fn part(&self, id: &str) -> Option<usize> {
        self.part_of.get(id).copied()
    }

    /// Part `i`'s parameters, and what the parent passes to them.
    fn wiring(&self, i: usize, params: &Map<String, Value>) -> (Map<String, Value>, Map<String, Value>) {
        let (mut declared, mut passed) = (Map::new(), Map::new());
        for (to, attr) in &self.needs[i] {
            if let Some(def) = params.get(to) {
                declared.insert(to.clone(), def.clone());
                if !self.moved_params.contains(to) {
                    passed.insert(to.clone(), json!({"Ref": to}));
                }
            } else if let Some(j) = self.part(to) {
                let name = input_name(to, attr.as_deref());
                declared.insert(
                    name.clone(),
                    json!({"Type": "String", "Description": format!("{} of {to} (nested stack {})", attr.as_deref().unwrap_or("Ref"), part_name(j))}),
                );
                passed.insert(
                    name,
                    json!({"Fn::GetAtt": [part_name(j), format!("Outputs.{}", output_name(to, attr.as_deref()))]}),
                );
            }
        }
        (declared, passed)
    }
}

/// A part being filled in the second pass.
#[derive(Default)]
struct Part {
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
    written: bool,
}

/// The second pass: resources go to their parts, each part written when complete.
pub(super) struct Stream {
    cut: Cut,
    parts: BTreeMap<usize, Part>,
    /// `region-x` of `region-x.yaml`, and `yaml`.
    stem: String,
    ext: String,
    syntax: TemplateSyntax,
    /// Warnings about parts beyond a quota splitting cannot help with.
    pub(super) warnings: Vec<String>,
}

impl Stream {
    pub(super) fn new(cut: Cut, file: &str, ext: &str, syntax: TemplateSyntax) -> Stream {
        let stem = file.strip_suffix(&format!(".{ext}")).unwrap_or(file).to_owned();
        Stream { cut, parts: BTreeMap::new(), stem, ext: ext.to_owned(), syntax, warnings: Vec::new() }
    }

    /// The cut the parts follow.
    pub(super) fn cut(&self) -> &Cut {
        &self.cut
    }

    /// The file of part `i` (1-based), the `TemplateURL` the parent gives it.
    pub(super) fn part_file(&self, i: usize) -> String {
        format!("{}.part-{i}.{}", self.stem, self.ext)
    }

    /// Takes a resource into its part.
    pub(super) fn take(&mut self, id: String, resource: Value) -> Result<(), ExportError> {
        let Some(i) = self.cut.part(&id) else {
            return Err(ExportError::internal(&self.stem, format!("resource {id} was not measured")));
        };
        self.parts.entry(i).or_default().resources.insert(id, resource);
        Ok(())
    }

    /// Takes an output: into its part when outputs move, else handed back for the parent.
    pub(super) fn output(&mut self, id: &str, output: Value) -> Option<Value> {
        if self.cut.keep_outputs {
            return Some(output);
        }
        let home = self.cut.output_home.get(id).copied().unwrap_or(0);
        self.parts.entry(home).or_default().outputs.insert(id.to_owned(), output);
        None
    }

    /// Writes every part whose resources and outputs have all arrived.
    pub(super) fn flush(
        &mut self,
        params: &Map<String, Value>,
        sink: &mut dyn ExportSink,
    ) -> Result<(), ExportError> {
        let ready: Vec<usize> = self
            .parts
            .iter()
            .filter(|(i, p)| {
                !p.written
                    && p.resources.len() == self.cut.members[**i]
                    && (self.cut.keep_outputs || p.outputs.len() == self.cut.outputs_in[**i])
            })
            .map(|(i, _)| *i)
            .collect();
        for i in ready {
            let part = std::mem::replace(
                self.parts.entry(i).or_default(),
                Part { written: true, ..Part::default() },
            );
            let name = self.part_file(i + 1);
            let doc = self.document(i, part, params);
            let outputs = doc.get("Outputs").and_then(Value::as_object).map_or(0, Map::len);
            if outputs > split::MAX_OUTPUTS {
                self.warnings.push(format!(
                    "{name}: {outputs} outputs exceed CloudFormation's quota of {} per template",
                    split::MAX_OUTPUTS
                ));
            }
            let text = render(&doc, self.syntax, &name)?;
            drop(doc);
            sink.file(ExportFile::text(name, text))?;
        }
        Ok(())
    }

    /// Part `i` as a template document.
    fn document(&self, i: usize, part: Part, params: &Map<String, Value>) -> Value {
        let cut = &self.cut;
        let elsewhere =
            |to: &str, attr: Option<&str>| cut.part(to).is_some_and(|j| j != i).then(|| input_name(to, attr));
        let (declared, _) = cut.wiring(i, params);
        let count = part.resources.len();
        let mut resources = part.resources;
        for r in resources.values_mut() {
            rewrite(r, &elsewhere);
            if let Some(obj) = r.as_object_mut() {
                keep_local_depends(obj, &|to| cut.part(to) == Some(i));
            }
        }
        let mut outputs = part.outputs;
        for o in outputs.values_mut() {
            rewrite(o, &elsewhere);
        }
        for (to, attr) in &cut.gives[i] {
            let value = match attr {
                None => json!({"Ref": to}),
                Some(a) => json!({"Fn::GetAtt": [to, a]}),
            };
            outputs.insert(output_name(to, attr.as_deref()), json!({"Value": value}));
        }
        let mut doc = Map::new();
        doc.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        doc.insert(
            "Description".into(),
            json!(format!("Part {} of {}: {count} resources", i + 1, cut.parts())),
        );
        if !declared.is_empty() {
            doc.insert("Parameters".into(), Value::Object(declared));
        }
        doc.insert("Resources".into(), Value::Object(resources));
        if !outputs.is_empty() {
            doc.insert("Outputs".into(), Value::Object(outputs));
        }
        Value::Object(doc)
    }

    /// The parent, once every part is written: the template's parameters (those the parts do
    /// not take over) and outputs (when they fit), the parts as its resources.
    pub(super) fn parent(
        &self,
        description: &str,
        params: &Map<String, Value>,
        outputs: Map<String, Value>,
    ) -> Result<Value, ExportError> {
        let cut = &self.cut;
        if let Some(i) = (0..cut.parts()).find(|i| !self.parts.get(i).is_some_and(|p| p.written)) {
            return Err(ExportError::internal(
                &self.stem,
                format!("nested stack {} did not get all its resources", part_name(i)),
            ));
        }
        let mut stacks = Map::new();
        for i in 0..cut.parts() {
            let (_, passed) = cut.wiring(i, params);
            let mut stack = json!({"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": self.part_file(i + 1)}});
            if !passed.is_empty() {
                stack["Properties"]["Parameters"] = Value::Object(passed);
            }
            let mut depends = cut.after[i].clone();
            depends.remove(&i);
            // A part whose output is passed in is waited for already (cfn-lint W3005).
            for (to, _) in &cut.needs[i] {
                if let Some(j) = cut.part(to) {
                    depends.remove(&j);
                }
            }
            if !depends.is_empty() {
                stack["DependsOn"] = json!(depends.iter().map(|&j| part_name(j)).collect::<Vec<_>>());
            }
            stacks.insert(part_name(i), stack);
        }
        let mut parent = Map::new();
        parent.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
        parent.insert("Description".into(), json!(description));
        let kept: Map<String, Value> = params
            .iter()
            .filter(|(p, _)| !cut.moved_params.contains(*p))
            .map(|(p, d)| (p.clone(), d.clone()))
            .collect();
        if !kept.is_empty() {
            parent.insert("Parameters".into(), Value::Object(kept));
        }
        parent.insert("Metadata".into(), split::lint_metadata());
        parent.insert("Resources".into(), Value::Object(stacks));
        if cut.keep_outputs && !outputs.is_empty() {
            let mut o = Value::Object(outputs);
            rewrite(&mut o, &|to, attr| {
                cut.part(to).map(|j| format!("{}.Outputs.{}", part_name(j), output_name(to, attr)))
            });
            parent.insert("Outputs".into(), o);
        }
        Ok(Value::Object(parent))
    }
}

/// Keeps in a resource's `DependsOn` only resources of its own part (the nested stacks wait for
/// each other instead).
fn keep_local_depends(obj: &mut Map<String, Value>, local: &dyn Fn(&str) -> bool) {
    let ids: Vec<String> = match obj.get("DependsOn") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => return,
    };
    let kept: Vec<String> = ids.into_iter().filter(|id| local(id)).collect();
    if kept.is_empty() {
        obj.remove("DependsOn");
    } else {
        obj.insert("DependsOn".into(), json!(kept));
    }
}
