//! Manifests that run a plan's shards on an existing cluster engine, plus the merge step:
//! a Kubernetes Indexed Job (the shard is `JOB_COMPLETION_INDEX`) or an AWS Batch array job
//! (the shard is `AWS_BATCH_JOB_ARRAY_INDEX`).
//!
//! Both run the image built from the `Containerfile` with its working folder `/work` on shared
//! storage holding the plan and its designs (a PersistentVolumeClaim, an EFS file system). Shard
//! K writes `OUT/shard-K-of-N/`; the merge step reads `OUT` and writes `OUT/report.json` and
//! `OUT/junit.xml`. `meridian batch --shard VAR/N` reads K from the environment variable VAR, so
//! neither engine needs a shell in the image.
//!
//! `run.sh` and `submit.sh` pass the user's values (job name, queue, results folder, volume,
//! file system) as words quoted by [`meridian_model::shell`], or through the JSON files; a value
//! the shell cannot carry (a control character) is refused. The files are written all or nothing
//! (staged, then moved in with the model's `write_files`), so an interrupted run never leaves a
//! `run.sh` of one run beside a `job.json` of another.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use meridian_model::format::{self, SaveError};
use meridian_model::shell;

use crate::error::BatchError;

/// The cluster engine to emit for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A Kubernetes Indexed Job.
    Kubernetes,
    /// An AWS Batch array job.
    AwsBatch,
}

/// What to emit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitOptions {
    /// The plan file, relative to the shared working folder.
    pub plan: String,
    /// Shards (Kubernetes: 1 to 100,000; AWS Batch: 2 to 10,000, the array-size limits).
    pub shards: u64,
    /// Container image with the `meridian` binary.
    pub image: String,
    /// Results folder, relative to the shared working folder.
    pub results: String,
    /// Name of the job (and prefix of the merge job).
    pub name: String,
    /// Kubernetes: the PersistentVolumeClaim mounted at `/work`.
    pub volume_claim: String,
    /// AWS Batch: the job queue.
    pub job_queue: String,
    /// AWS Batch: the EFS file system mounted at `/work`.
    pub efs_id: String,
}

/// Where the shared working folder is mounted in the container.
pub const WORKDIR: &str = "/work";

/// Checks `name` as a Kubernetes object name and AWS Batch job name: lowercase letters, digits
/// and `-`, starting and ending with a letter or digit, at most 52 characters (room for `-merge`
/// and Kubernetes' index suffix).
fn check_name(name: &str) -> Result<(), BatchError> {
    let ok = !name.is_empty()
        && name.len() <= 52
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if ok {
        Ok(())
    } else {
        let shown: String = name.chars().take(60).collect();
        let more = if name.chars().count() > 60 { "..." } else { "" };
        Err(BatchError::Input(format!(
            "--name `{shown}{more}`: use 1 to 52 lowercase letters, digits and '-', starting and ending with a letter or digit"
        )))
    }
}

/// Checks `image` as a container image reference (`[registry/]name[:tag][@digest]`): 1 to 255
/// characters of letters, digits and `.`, `_`, `-`, `/`, `:`, `@` (the characters the OCI
/// distribution reference grammar allows), so nothing else reaches a manifest or a script.
fn check_image(image: &str) -> Result<(), BatchError> {
    let ok = !image.is_empty()
        && image.len() <= 255
        && image.chars().all(|c| c.is_ascii_alphanumeric() || "._-/:@".contains(c))
        && !image.starts_with(['-', '.', '/', ':', '@']);
    if ok {
        Ok(())
    } else {
        let shown: String = image.chars().take(60).collect();
        Err(BatchError::Input(format!(
            "--image `{}`: must name a container image ([registry/]name[:tag][@digest]: letters, digits and . _ - / : @, at most 255 characters)",
            shell::comment(&shown)
        )))
    }
}

/// A command line of `words` for `run.sh` or `submit.sh`, each word quoted by the model's one
/// quoting function; a value the shell cannot carry is the user's input error.
fn sh<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<String, BatchError> {
    shell::command(words).map_err(|e| BatchError::Input(format!("cannot write the script: {e}")))
}

/// Refuses an option value that the command it is given to would read as another option.
fn option_value(option: &str, value: &str) -> Result<(), BatchError> {
    if value.starts_with('-') {
        return Err(BatchError::Input(format!(
            "{option} `{}`: a value starting with '-' would be read as an option",
            shell::comment(value)
        )));
    }
    Ok(())
}

fn shard_args(o: &EmitOptions, var: &str) -> Vec<String> {
    vec![
        "batch".into(),
        o.plan.clone(),
        "--shard".into(),
        format!("{var}/{}", o.shards),
        "--out".into(),
        o.results.clone(),
        "--resume".into(),
    ]
}

fn merge_args(o: &EmitOptions) -> Vec<String> {
    vec![
        "merge".into(),
        o.results.clone(),
        "--out".into(),
        format!("{}/report.json", o.results),
        "--junit".into(),
        format!("{}/junit.xml", o.results),
    ]
}

/// One file of the output: its name in the folder and its bytes.
type OutFile = (PathBuf, Vec<u8>);

fn json_file(name: &str, v: &Value) -> Result<OutFile, BatchError> {
    let text = serde_json::to_string_pretty(v).map_err(|e| BatchError::Encode(e.to_string()))?;
    Ok((PathBuf::from(name), (text + "\n").into_bytes()))
}

/// Writes the files into `dir` all or nothing: staged, then moved in
/// ([`meridian_model::format::write_files`]).
fn write_all(dir: &Path, files: Vec<OutFile>) -> Result<Vec<String>, BatchError> {
    format::write_files(dir, &files).map_err(|e| match e {
        SaveError::Io { file, source, .. } => BatchError::io(Path::new(&file), source),
        SaveError::Serialize { message, .. } => BatchError::Encode(message),
    })?;
    Ok(files.into_iter().map(|(p, _)| p.display().to_string()).collect())
}

fn k8s_job(o: &EmitOptions, name: &str, args: &[String], indexed: bool) -> Value {
    let mut spec = json!({
        "backoffLimit": 3,
        "template": {
            "metadata": { "labels": { "app.kubernetes.io/name": "meridian", "meridian/job": name } },
            "spec": {
                "restartPolicy": "Never",
                "containers": [{
                    "name": "meridian",
                    "image": o.image,
                    "args": args,
                    "workingDir": WORKDIR,
                    "resources": {
                        "requests": { "cpu": "2", "memory": "1Gi" },
                        "limits": { "memory": "2Gi" }
                    },
                    "volumeMounts": [{ "name": "work", "mountPath": WORKDIR }]
                }],
                "volumes": [{ "name": "work", "persistentVolumeClaim": { "claimName": o.volume_claim } }]
            }
        }
    });
    if indexed && let Some(s) = spec.as_object_mut() {
        s.insert("completionMode".into(), json!("Indexed"));
        s.insert("completions".into(), json!(o.shards));
        s.insert("parallelism".into(), json!(o.shards));
    }
    json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": { "name": name, "labels": { "app.kubernetes.io/name": "meridian" } },
        "spec": spec
    })
}

fn aws_job_definition(o: &EmitOptions, name: &str, command: &[String]) -> Value {
    json!({
        "jobDefinitionName": name,
        "type": "container",
        "platformCapabilities": ["EC2"],
        "retryStrategy": { "attempts": 3 },
        "containerProperties": {
            "image": o.image,
            "command": command,
            "resourceRequirements": [
                { "type": "VCPU", "value": "2" },
                { "type": "MEMORY", "value": "2048" }
            ],
            "volumes": [{ "name": "work", "efsVolumeConfiguration": { "fileSystemId": o.efs_id, "rootDirectory": "/" } }],
            "mountPoints": [{ "sourceVolume": "work", "containerPath": WORKDIR, "readOnly": false }]
        }
    })
}

/// `run.sh`: applies the Indexed Job, waits, then applies and waits for the merge job.
fn run_script(o: &EmitOptions, merge: &str) -> Result<String, BatchError> {
    Ok(format!(
        "#!/bin/sh\n# Runs the {n} shards of {plan} as an Indexed Job, then merges them.\nset -eu\n\
         {apply_job}\n{wait_job}\n{apply_merge}\n{wait_merge}\n{done}\n",
        n = o.shards,
        plan = shell::comment(&o.plan),
        apply_job = sh(["kubectl", "apply", "-f", "job.json"])?,
        wait_job =
            sh(["kubectl", "wait", "--for=condition=complete", "--timeout=24h", &format!("job/{}", o.name)])?,
        apply_merge = sh(["kubectl", "apply", "-f", "merge-job.json"])?,
        wait_merge =
            sh(["kubectl", "wait", "--for=condition=complete", "--timeout=1h", &format!("job/{merge}")])?,
        done = sh([
            "printf",
            "%s\\n",
            &format!(
                "report: {r}/report.json, JUnit: {r}/junit.xml (on the volume {c})",
                r = o.results,
                c = o.volume_claim
            )
        ])?,
    ))
}

/// `submit.sh`: registers both job definitions, submits the array job, then the merge job
/// depending on it.
fn submit_script(o: &EmitOptions, merge: &str) -> Result<String, BatchError> {
    option_value("--job-queue", &o.job_queue)?;
    Ok(format!(
        "#!/bin/sh\n# Registers the job definitions, submits the {n}-child array job for {plan},\n\
         # then the merge job, which starts when every child has succeeded.\nset -eu\n\
         {register}\n{register_merge}\n\
         id=$({submit} --query jobId --output text)\n\
         {submit_merge} --depends-on \"jobId=$id\"\n\
         printf '%s\\n' \"array job $id\"\n{done}\n",
        n = o.shards,
        plan = shell::comment(&o.plan),
        register = sh([
            "aws",
            "batch",
            "register-job-definition",
            "--cli-input-json",
            "file://job-definition.json"
        ])?,
        register_merge = sh([
            "aws",
            "batch",
            "register-job-definition",
            "--cli-input-json",
            "file://merge-job-definition.json"
        ])?,
        submit = sh(["aws", "batch", "submit-job", "--cli-input-json", "file://submit-job.json"])?,
        submit_merge = sh([
            "aws",
            "batch",
            "submit-job",
            "--job-name",
            merge,
            "--job-queue",
            &o.job_queue,
            "--job-definition",
            merge
        ])?,
        done = sh([
            "printf",
            "%s\\n",
            &format!("report: {r}/report.json, JUnit: {r}/junit.xml (on {e})", r = o.results, e = o.efs_id)
        ])?,
    ))
}

/// Writes the manifests for `engine` into `dir`; returns the files written. Nothing is written
/// when a value is refused.
pub fn emit(engine: Engine, o: &EmitOptions, dir: &Path) -> Result<Vec<String>, BatchError> {
    check_name(&o.name)?;
    check_image(&o.image)?;
    for (what, path) in [("the plan", &o.plan), ("--results", &o.results)] {
        let p = Path::new(path);
        if p.is_absolute() || p.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            return Err(BatchError::Input(format!(
                "{what} `{}`: must be a relative path inside the shared folder (no `..`): the job runs in {WORKDIR} on shared storage",
                shell::comment(path)
            )));
        }
    }
    let merge = format!("{}-merge", o.name);
    match engine {
        Engine::Kubernetes => {
            if !(1..=100_000).contains(&o.shards) {
                return Err(BatchError::Input(
                    "--shards: a Kubernetes Indexed Job has 1 to 100000 completions".into(),
                ));
            }
            let script = run_script(o, &merge)?;
            let job = k8s_job(o, &o.name, &shard_args(o, "JOB_COMPLETION_INDEX"), true);
            write_all(
                dir,
                vec![
                    json_file("job.json", &job)?,
                    json_file("merge-job.json", &k8s_job(o, &merge, &merge_args(o), false))?,
                    ("run.sh".into(), script.into_bytes()),
                ],
            )
        }
        Engine::AwsBatch => {
            if !(2..=10_000).contains(&o.shards) {
                return Err(BatchError::Input(
                    "--shards: an AWS Batch array job has 2 to 10000 children".into(),
                ));
            }
            if o.efs_id.trim().is_empty() {
                return Err(BatchError::Input(
                    "--efs-id: AWS Batch needs an EFS file system (fs-...) to share the plan and results"
                        .into(),
                ));
            }
            let script = submit_script(o, &merge)?;
            let cmd = shard_args(o, "AWS_BATCH_JOB_ARRAY_INDEX");
            let submit = json!({
                "jobName": o.name,
                "jobQueue": o.job_queue,
                "jobDefinition": o.name,
                "arrayProperties": { "size": o.shards }
            });
            write_all(
                dir,
                vec![
                    json_file("job-definition.json", &aws_job_definition(o, &o.name, &cmd))?,
                    json_file("merge-job-definition.json", &aws_job_definition(o, &merge, &merge_args(o)))?,
                    json_file("submit-job.json", &submit)?,
                    ("submit.sh".into(), script.into_bytes()),
                ],
            )
        }
    }
}
