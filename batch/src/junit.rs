//! JUnit XML for CI systems: one `<testsuite>` per combination, one `<testcase>` per gate
//! (a combination without gates gets one test case, `completed`), failures with the comparison.
//!
//! Structure and attributes follow the conventions CI systems read (Jenkins, GitLab, GitHub
//! test reporters): `<testsuites name tests failures errors>` around `<testsuite name tests
//! failures errors skipped>`, each with `<properties>` first, then `<testcase name classname>`
//! holding at most one `<failure message type>`. No `time` or `timestamp`: the output is a
//! deterministic function of the results.

use std::io::Write;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::BatchError;
use crate::report::ResultSet;
use crate::row::Row;
use crate::store::write_atomic;

fn xml_err(e: impl std::fmt::Display) -> BatchError {
    BatchError::Encode(e.to_string())
}

/// Writes the JUnit XML of `set` to `path` (atomically).
pub fn write_junit(set: &ResultSet, path: &Path) -> Result<(), BatchError> {
    let mut buf = Vec::new();
    junit_to(set, &mut buf)?;
    write_atomic(path, &buf)
}

fn tests_of(row: &Row) -> (u64, u64) {
    if row.gates.is_empty() {
        (1, 0)
    } else {
        (row.gates.len() as u64, row.gates.iter().filter(|g| !g.passed).count() as u64)
    }
}

/// Writes the JUnit XML of `set` to `out`.
pub fn junit_to(set: &ResultSet, out: &mut dyn Write) -> Result<(), BatchError> {
    // First pass: totals for the root element.
    let (mut tests, mut failures) = (0u64, 0u64);
    for r in set.rows()? {
        let (t, f) = tests_of(&r?.0);
        tests += t;
        failures += f;
    }
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).map_err(xml_err)?;
    let name = format!("meridian batch {}", set.manifest.plan);
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", name.as_str()));
    root.push_attribute(("tests", tests.to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    root.push_attribute(("errors", "0"));
    w.write_event(Event::Start(root)).map_err(xml_err)?;
    for r in set.rows()? {
        let (row, _) = r?;
        let (t, f) = tests_of(&row);
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", row.key.as_str()));
        suite.push_attribute(("tests", t.to_string().as_str()));
        suite.push_attribute(("failures", f.to_string().as_str()));
        suite.push_attribute(("errors", "0"));
        suite.push_attribute(("skipped", "0"));
        w.write_event(Event::Start(suite)).map_err(xml_err)?;
        w.write_event(Event::Start(BytesStart::new("properties"))).map_err(xml_err)?;
        let mut props: Vec<(String, String)> = vec![
            ("design".into(), row.design.clone()),
            ("scenario".into(), row.scenario.clone()),
            ("seed".into(), row.seed.to_string()),
            ("runs".into(), row.runs.to_string()),
        ];
        props.extend(row.params.iter().map(|(k, v)| (format!("param.{k}"), v.clone())));
        for (k, v) in &props {
            let mut p = BytesStart::new("property");
            p.push_attribute(("name", k.as_str()));
            p.push_attribute(("value", v.as_str()));
            w.write_event(Event::Empty(p)).map_err(xml_err)?;
        }
        w.write_event(Event::End(BytesEnd::new("properties"))).map_err(xml_err)?;
        let classname = format!("meridian.batch.{}", row.key);
        let cases: Vec<(String, Option<String>)> = if row.gates.is_empty() {
            vec![("completed".into(), None)]
        } else {
            row.gates.iter().map(|g| (g.gate.clone(), (!g.passed).then(|| g.detail.clone()))).collect()
        };
        for (case, failure) in cases {
            let mut tc = BytesStart::new("testcase");
            tc.push_attribute(("name", case.as_str()));
            tc.push_attribute(("classname", classname.as_str()));
            match failure {
                None => w.write_event(Event::Empty(tc)).map_err(xml_err)?,
                Some(detail) => {
                    w.write_event(Event::Start(tc)).map_err(xml_err)?;
                    let mut fe = BytesStart::new("failure");
                    fe.push_attribute(("message", detail.as_str()));
                    fe.push_attribute(("type", "gate"));
                    w.write_event(Event::Start(fe)).map_err(xml_err)?;
                    w.write_event(Event::Text(BytesText::new(&format!("{}: {detail}", row.key))))
                        .map_err(xml_err)?;
                    w.write_event(Event::End(BytesEnd::new("failure"))).map_err(xml_err)?;
                    w.write_event(Event::End(BytesEnd::new("testcase"))).map_err(xml_err)?;
                }
            }
        }
        w.write_event(Event::End(BytesEnd::new("testsuite"))).map_err(xml_err)?;
    }
    w.write_event(Event::End(BytesEnd::new("testsuites"))).map_err(xml_err)?;
    w.get_mut().write_all(b"\n").map_err(xml_err)?;
    Ok(())
}
