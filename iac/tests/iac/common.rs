//! Shared helpers of the export tests: examples, exports into temporary folders, external tools.

use std::path::{Path, PathBuf};

use meridian_iac::{ExportBundle, ExportOptions, Format, export};
use meridian_model::Catalog;
use meridian_model::compliance::Policy;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The example designs, sorted, with the policies each is exported under.
pub fn examples() -> Vec<(String, PathBuf, Vec<Policy>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .expect("examples folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let policies = if name.starts_with("gdpr") {
                vec![Policy::pack("gdpr-strict").unwrap().unwrap()]
            } else {
                Vec::new()
            };
            (name, p, policies)
        })
        .collect()
}

/// The test fixtures of the export (`iac/tests/iac/designs/*.ron`: designs that exercise what no
/// example has, kept out of `examples/` because other suites iterate the examples), sorted.
pub fn fixtures() -> Vec<(String, PathBuf, Vec<Policy>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("iac/tests/iac/designs"))
        .expect("fixtures folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p, Vec::new()))
        .collect()
}

/// The examples, then the fixtures: every design the validators run on.
pub fn designs() -> Vec<(String, PathBuf, Vec<Policy>)> {
    let mut all = examples();
    all.extend(fixtures());
    all
}

/// The design's regions.
pub fn regions(path: &Path) -> Vec<String> {
    let catalog = Catalog::builtin().unwrap();
    let loaded = meridian_model::format::load_file(path, catalog).unwrap();
    loaded.design.regions().map(|r| r.id.to_string()).collect()
}

/// Exports a design file (an example or a fixture) under `policies`.
pub fn export_example(path: &Path, policies: &[Policy], format: Format) -> ExportBundle {
    let catalog = Catalog::builtin().unwrap();
    let loaded = meridian_model::format::load_file(path, catalog).unwrap();
    export(
        &loaded.design,
        catalog,
        format,
        &ExportOptions { policies: policies.to_vec(), ..ExportOptions::default() },
    )
    .unwrap()
}

/// Writes a bundle into a new temporary folder.
pub fn write(bundle: &ExportBundle) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in &bundle.files {
        let path = dir.path().join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.bytes()).unwrap();
    }
    dir
}

/// Runs cfn-lint on `templates` for `regions` and fails the test, naming `name` and the report, when
/// it finds errors (exit codes with bit 2 or 16 and above; warnings and informational bits pass).
pub fn assert_cfn_lint_clean(name: &str, regions: &[String], templates: &[PathBuf]) {
    let out = std::process::Command::new(tool("cfn-lint"))
        .arg("--regions")
        .args(regions)
        .arg("--")
        .args(templates)
        .output()
        .unwrap_or_else(|e| panic!("cannot run cfn-lint: {e}"));
    let code = out.status.code().unwrap_or(255);
    assert!(
        code & 2 == 0 && code < 16,
        "{name}: cfn-lint reports errors (exit {code}):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A tool installed by scripts/install-tools.sh into .tools/venv/bin.
pub fn tool(name: &str) -> PathBuf {
    let p = root().join(".tools/venv/bin").join(name);
    assert!(
        p.exists(),
        "{} is missing: run scripts/install-tools.sh (scripts/test.sh does) to install the external validators",
        p.display()
    );
    p
}

/// The Terraform CLI configuration scripts/install-tools.sh writes (`.tools/terraform.rc`):
/// providers from the machine's filesystem mirror of the AWS provider, nothing downloaded.
pub fn terraform_rc() -> PathBuf {
    let rc = root().join(".tools/terraform.rc");
    assert!(
        rc.is_file(),
        "{} is missing: run scripts/install-tools.sh (scripts/test.sh does); it finds the AWS provider's \
         filesystem mirror and writes the Terraform CLI configuration that uses it",
        rc.display()
    );
    rc
}

/// Runs `terraform ARGS` in `dir` offline: the providers from [`terraform_rc`]'s filesystem
/// mirror, no plug-in cache or data folder from the environment, no version check.
pub fn terraform(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new("terraform")
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", terraform_rc())
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_PLUGIN_CACHE_DIR")
        .env_remove("TF_DATA_DIR")
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `terraform` ({e}): Terraform 1.6 or later must be on PATH (CI's machine has it)"
            )
        })
}

/// The checkov checks the README lists as satisfied by `framework` (`cloudformation` or `terraform`).
pub fn readme_checks(framework: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = format!("<!-- checkov-{framework} -->");
    let start = text.find(&marker).unwrap_or_else(|| panic!("README.md has no {marker} list"));
    let rest = &text[start + marker.len()..];
    let end = rest.find("<!-- /checkov -->").expect("README.md: the checkov list is not closed");
    let ids: Vec<String> = rest[..end]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("CKV"))
        .map(str::to_owned)
        .collect();
    assert!(!ids.is_empty(), "README.md lists no checkov checks for {framework}");
    ids
}

/// Runs checkov on a folder and returns its JSON report (one framework).
pub fn checkov(dir: &Path, framework: &str) -> serde_json::Value {
    let out = std::process::Command::new(tool("checkov"))
        .env("BC_SKIP_MAPPING", "TRUE")
        .args(["--compact", "-o", "json", "--framework", framework, "-d"])
        .arg(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("checkov printed no JSON ({e}):\n{text}\n{}", String::from_utf8_lossy(&out.stderr))
    });
    match v {
        serde_json::Value::Array(mut reports) => reports.remove(0),
        v => v,
    }
}

/// Checks that an export has a replication-lag alarm for every replica: DynamoDB in each member
/// region towards each other one, Aurora in each secondary's region, S3 in the source region of
/// each rule with Replication Time Control; `file` names a region's file.
pub fn assert_lag_alarms(format: Format, file: impl Fn(&str) -> String) {
    let has = |bundle: &ExportBundle, region: &str, needles: &[&str]| {
        let f = bundle.files.iter().find(|f| f.path == file(region)).unwrap();
        needles.iter().all(|n| f.contents.contains(n))
    };
    let two = export_example(&root().join("examples/active-active-2region.ron"), &[], format);
    assert!(has(&two, "us-east-1", &["ReplicationLatency", "eu-west-1", "AWS/DynamoDB", "AWS/S3"]));
    assert!(has(&two, "eu-west-1", &["ReplicationLatency", "us-east-1", "AWS/DynamoDB"]));
    assert!(has(&two, "eu-west-1", &["UnHealthyHostCount"]), "load balancer targets are watched");
    let three = export_example(&root().join("examples/active-active-3region-aurora.ron"), &[], format);
    let with_aurora_lag: Vec<&str> = ["us-east-1", "eu-west-1", "ap-northeast-1"]
        .into_iter()
        .filter(|r| has(&three, r, &["AuroraGlobalDBReplicationLag"]))
        .collect();
    assert_eq!(with_aurora_lag.len(), 2, "one Aurora lag alarm per secondary region: {with_aurora_lag:?}");
}

/// Imports an export written into `dir` back: its CloudFormation templates (sorted) or its
/// Terraform folder.
pub fn import_back(bundle: &ExportBundle, dir: &Path, format: Format) -> meridian_iac::import::Imported {
    let catalog = Catalog::builtin().unwrap();
    match format {
        Format::CloudFormation => {
            let mut templates: Vec<PathBuf> = bundle
                .files
                .iter()
                .filter(|f| Path::new(&f.path).extension().is_some_and(|e| e == "yaml"))
                .map(|f| dir.join(&f.path))
                .collect();
            templates.sort();
            meridian_iac::import::import_cloudformation(&templates, None, catalog).unwrap()
        }
        Format::Terraform => meridian_iac::import::import_terraform(dir, catalog).unwrap(),
    }
}
