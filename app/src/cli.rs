//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cli_chaos::{CalibrateArgs, ExperimentsArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  findings (violations, failed thresholds, warnings with --deny-warnings)
  2  bad input or usage (a file that does not load, an unknown option)
  3  internal error";

/// Design multi-region AWS architectures and find out how they behave and what they cost.
///
/// With no subcommand, opens the desktop designer (on FILE, if given).
#[derive(Debug, Parser)]
#[command(name = "meridian", version, about, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; none opens the designer.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A design file to open in the designer.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

impl Cli {
    /// Parses `args` (the program name first). A negative number after an option is read as its
    /// value (`--runs -1`), so the refusal names the option and its range instead of calling
    /// `-1` an unexpected argument.
    ///
    /// # Errors
    /// Usage errors, help and version, as clap reports them.
    pub fn parse_from_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{CommandFactory, FromArgMatches};
        fn negative_numbers(cmd: clap::Command) -> clap::Command {
            cmd.allow_negative_numbers(true).mut_subcommands(negative_numbers)
        }
        let mut matches = negative_numbers(Cli::command()).try_get_matches_from(args)?;
        Cli::from_arg_matches_mut(&mut matches)
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check design files: every error with file, line and column, then warnings.
    #[command(after_help = concat!(
        "Example:\n  meridian validate examples/*.ron\n  meridian validate --deny-warnings --format json design.ron\n\n",
        "Exit codes:\n  0  every file is valid\n  1  warnings, with --deny-warnings\n  2  a file does not load"
    ))]
    Validate(ValidateArgs),
    /// Summarise a design: regions, services by kind, links and user populations.
    #[command(
        after_help = "Example:\n  meridian info examples/active-active-2region.ron\n  meridian info --json design.ron\n\nExit codes:\n  0  success\n  2  the file does not load"
    )]
    Info(InfoArgs),
    /// Rewrite design files in canonical form: entities in id order, one field per line.
    ///
    /// Comments other than the header block at the top of the file are not kept.
    #[command(
        after_help = "Example:\n  meridian fmt design.ron\n  meridian fmt --check examples/*.ron\n\nExit codes:\n  0  every file is (now) canonical\n  1  with --check, a file is not canonical\n  2  a file does not load"
    )]
    Fmt(FmtArgs),
    /// Check a design against data-law policies: where each class of data can reach, whole paths.
    ///
    /// PACK is a shipped policy pack (gdpr-strict, gdpr-adequacy, data-sovereignty, ccpa); PATH is
    /// your own policy file. Without --policy every shipped pack is checked. Waivers in the design
    /// file accept a finding with a justification; they are listed in every report.
    #[command(after_help = concat!(
        "Example:\n  meridian check examples/gdpr-eu-residency.ron --policy gdpr-strict\n",
        "  meridian check design.ron --policy gdpr-adequacy --policy my-rules.ron --format sarif > meridian.sarif\n\n",
        "Exit codes:\n  0  no violation (or every violation is waived)\n  1  a rule is violated\n",
        "  2  the design or a policy file does not load, or an unknown pack"
    ))]
    Check(CheckArgs),
    /// Run a named benchmark and print `key=value` figures, the headline on the last line.
    #[command(
        after_help = "Example:\n  meridian bench load --services 5000\n  meridian bench sim\n  meridian bench montecarlo --runs 1000\n  meridian bench batch --designs 10 --scenarios 5 --runs 100\n\nExit codes:\n  0  success\n  2  bad arguments"
    )]
    Bench(BenchArgs),
    /// Price a design: monthly line items from its workload, with totals by region, service and tag.
    #[command(after_help = concat!(
        "Example:\n  meridian cost examples/active-active-2region.ron\n",
        "  meridian cost --commitment 3y --json design.ron\n  meridian cost --csv design.ron > bill.csv\n\n",
        "Every unit price cites a dated source in the price snapshot (assets/pricing/snapshot.ron, or --prices).\n",
        "Lines resting on estimated prices and sources older than --max-price-age-days are flagged.\n\n",
        "Exit codes:\n  0  success\n  2  the design or the price snapshot does not load"
    ))]
    Cost(CostArgs),
    /// Simulate a design under a scenario: availability, RTO/RPO, latency, conflicts and data law.
    #[command(after_help = concat!(
        "Example:\n  meridian simulate examples/active-active-2region.ron --scenario region-outage\n",
        "  meridian simulate design.ron --scenario random-year --runs 200 --json - --plots out/\n",
        "  meridian simulate design.ron --scenario region-outage --runs-csv runs.csv\n",
        "  meridian simulate design.ron --scenario my-scenario.ron --horizon 30d --seed 7\n\n",
        "Built-in scenarios: region-outage, az-outage, partition, random-year, gdpr-failover, primary-outage.\n\n",
        "Exit codes:\n  0  success\n  2  the design or scenario does not load, or bad arguments\n  3  internal error"
    ))]
    Simulate(SimulateArgs),
    /// Run a batch plan: designs x scenarios x parameter sweeps x seeds, with gates (docs/batch.md).
    ///
    /// Results stream to --out, one line per combination, fsynced as each finishes; --resume
    /// continues an interrupted run without redoing finished work. --shard K/N runs the K-th
    /// (from 0) of N deterministic slices; K may be the name of an environment variable holding
    /// it (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX). --emit writes cluster manifests
    /// instead of running.
    #[command(after_help = concat!(
        "Example:\n  meridian batch examples/batch/plan.ron --json report.json --junit junit.xml\n",
        "  meridian batch plan.ron --shard 2/4 --out results/   (then: meridian merge results/ --out report.json)\n",
        "  meridian batch plan.ron --emit kubernetes --shards 8 --image registry.example/meridian:0.1 --out k8s/\n\n",
        "Exit codes:\n  0  every gate passed\n  1  a gate failed\n",
        "  2  the plan, a design or a scenario does not load, bad arguments, or --out holds other results\n  3  internal error"
    ))]
    Batch(BatchArgs),
    /// Merge the results folders of a sharded batch into the report a single run would have written.
    #[command(after_help = concat!(
        "Example:\n  meridian merge results/ --out report.json --junit junit.xml\n",
        "  meridian merge shard-a/ shard-b/ --out report.json\n\n",
        "Exit codes:\n  0  every gate passed\n  1  a gate failed\n",
        "  2  a shard is missing, unfinished, given twice, or of another plan\n  3  internal error"
    ))]
    Merge(MergeArgs),
    /// Export the design as infrastructure code: CloudFormation templates or a Terraform module.
    ///
    /// Writes the files and a DEPLOY.md (deployment order, what could not be exported faithfully,
    /// scanner checks skipped on purpose) into --out. With --policy, residency rules limit
    /// replication: a replica a rule forbids is left out, and the exception is written down.
    #[command(after_help = concat!(
        "Example:\n  meridian export examples/active-active-2region.ron --format cloudformation --out cfn/\n",
        "  meridian export design.ron --format cloudformation --out cfn/ --policy gdpr-strict --json\n",
        "  meridian export examples/active-active-2region.ron --format terraform --out tf/\n\n",
        "Exit codes:\n  0  exported (warnings, if any, are printed and in DEPLOY.md)\n",
        "  2  the design or a policy does not load, or --out is not empty (use --force)\n  3  internal error"
    ))]
    Export(ExportArgs),
    /// Derive the disaster-recovery strategies from one design: multi-AZ, backup and restore, pilot
    /// light, warm standby and active-active, one design file each (rules: docs/strategies.md).
    #[command(after_help = concat!(
        "Example:\n  meridian variants examples/active-active-2region.ron --out variants/\n",
        "  meridian compare variants/*.ron --runs 200\n\n",
        "Exit codes:\n  0  every variant written\n",
        "  2  the design does not load, has no region, or --out holds a variant file (use --force)\n  3  internal error"
    ))]
    Variants(VariantsArgs),
    /// Compare designs side by side: availability, downtime, RTO/RPO, latency, cost, incident cost,
    /// conflicts and data-law violations, the best of each row marked; optionally a cost-downtime
    /// frontier chart.
    #[command(after_help = concat!(
        "Example:\n  meridian compare variants/*.ron --runs 200 --chart frontier.png\n",
        "  meridian compare variants/*.ron --scenario primary-outage\n",
        "  meridian compare a.ron b.ron --json > compare.json\n",
        "  meridian compare a.ron b.ron c.ron --chart frontier.svg\n\n",
        "Built-in scenarios: region-outage, az-outage, partition, random-year, gdpr-failover, primary-outage.\n\n",
        "Exit codes:\n  0  success\n  2  a design or the scenario does not load, or bad arguments\n  3  internal error"
    ))]
    Compare(CompareArgs),
    /// Review a design change: what changed (entities added, removed, changed, field by field),
    /// then the change in every assessed figure with its significance (both designs run the same
    /// random streams), monthly cost by region and service, and data-law findings added and
    /// resolved. `--format markdown` writes a pull-request comment.
    #[command(after_help = concat!(
        "Example:\n  meridian diff before.ron design.ron\n",
        "  git show main:design.ron > before.ron && meridian diff before.ron design.ron --format markdown --out comment.md\n",
        "  meridian diff a.ron b.ron --scenario region-outage --runs 500 --format json\n\n",
        "Exit codes:\n  0  nothing got worse\n",
        "  1  a figure got significantly worse (availability or downtime by the paired test, RTO/RPO by\n",
        "     non-overlapping intervals, latency beyond 1 ms and 2%, the monthly total beyond\n",
        "     --cost-tolerance) or a data-law violation appeared\n",
        "  2  a design or the scenario does not load, or bad arguments\n  3  internal error"
    ))]
    Diff(DiffArgs),
    /// Manage the price snapshot: `refresh` reads current prices from the AWS Price List Query API.
    #[command(
        after_help = "Example:\n  meridian pricing refresh --regions eu-west-1,us-east-1 --out prices.ron\n\nExit codes:\n  0  success\n  1  findings (prices not found)\n  2  bad input\n  3  API or internal error"
    )]
    Pricing(PricingArgs),
    /// Write a self-contained HTML report: summary, design picture, simulation charts, cost, compliance.
    ///
    /// Simulates the design under the scenario, prices it, checks every shipped data-law policy,
    /// and writes one HTML file with everything inline (CSS, SVG charts, the design picture): it
    /// opens in any browser without a network, prints cleanly and reads at phone width.
    #[command(after_help = concat!(
        "Example:\n  meridian report examples/active-active-2region.ron --out report.html\n",
        "  meridian report design.ron --scenario region-outage --runs 200 --seed 7 --out review.html --force\n\n",
        "Exit codes:\n  0  written\n",
        "  2  the design, scenario or price snapshot does not load, bad arguments, or --out exists (use --force)\n",
        "  3  internal error"
    ))]
    Report(ReportArgs),
    /// Import infrastructure code into a design: CloudFormation templates or Terraform.
    ///
    /// Services come from resource types, links from references (target groups, records and
    /// health checks, origins, replication, global tables and clusters, backup selections, IAM
    /// policies and security groups), settings from the resources. Whatever is not understood is
    /// listed by address with the reason, printed and written at the top of the design file.
    #[command(after_help = concat!(
        "Example:\n  meridian import cloudformation region-us-east-1.yaml region-eu-west-1.yaml global.yaml --out imported.ron\n",
        "  meridian import cloudformation stack.yaml --region eu-west-1 --out stack.ron\n",
        "  meridian import terraform infra/ --out imported.ron --format json\n\n",
        "Exit codes:\n  0  imported, nothing skipped\n  1  imported, some resources or settings skipped (listed)\n",
        "  2  an input does not read or parse, no service was found, or --out exists (use --force)\n  3  internal error"
    ))]
    Import(ImportArgs),
    /// Turn a scenario's faults into AWS Fault Injection Service experiment templates whose
    /// hypotheses are the simulator's predictions.
    ///
    /// Writes one template per region (CloudFormation) or a Terraform module, targeting what
    /// `meridian export` writes, and HYPOTHESES.md; faults FIS cannot reproduce are listed with why.
    #[command(after_help = concat!(
        "Example:\n  meridian export-experiments examples/active-active-2region.ron --scenario az-outage --format cloudformation --out fis/\n\n",
        "Exit codes:\n  0  written\n",
        "  2  the design or scenario does not load, or --out is not empty (use --force)\n  3  internal error"
    ))]
    ExportExperiments(ExperimentsArgs),
    /// Compare a drill's measured RTO, RPO and errors with the predictions, and name the model
    /// parameters the difference points at (docs/calibrate.md).
    #[command(after_help = concat!(
        "Example:\n  meridian calibrate examples/active-active-2region.ron --observed drill.json --scenario az-outage\n\n",
        "Exit codes:\n  0  every observation within the predicted P5..P95\n  1  a prediction is contradicted\n",
        "  2  the design, scenario or results file does not load, or names an unknown experiment\n  3  internal error"
    ))]
    Calibrate(CalibrateArgs),
    /// Write the design picture (the report's schematic, with AWS icons) as SVG or PNG.
    #[command(after_help = concat!(
        "Example:\n  meridian export-picture examples/active-active-2region.ron --out design.png\n",
        "  meridian export-picture design.ron --out design.svg --force\n\n",
        "Exit codes:\n  0  written\n",
        "  2  the design does not load, --out is not .svg or .png, or --out exists (use --force)\n",
        "  3  internal error"
    ))]
    ExportPicture(ExportPictureArgs),
}

/// Cluster engines `meridian batch --emit` writes manifests for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EmitArg {
    /// A Kubernetes Indexed Job (shard from JOB_COMPLETION_INDEX) and a merge Job.
    Kubernetes,
    /// An AWS Batch array job (shard from AWS_BATCH_JOB_ARRAY_INDEX) and a merge job.
    AwsBatch,
}

/// Arguments of `meridian batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The plan file (RON, see docs/batch.md).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Write the JSON report (every row, in combination order) to PATH.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Write JUnit XML (one test case per combination and gate) to PATH.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Keep the finished results in --out and run only the rest.
    #[arg(long)]
    pub resume: bool,
    /// Run only slice K (from 0) of N; K may name an environment variable holding it.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Results folder (with --shard, shard K writes OUT/shard-K-of-N); with --emit, where the manifests go.
    #[arg(long, value_name = "DIR", default_value = "meridian-batch")]
    pub out: PathBuf,
    /// Worker threads per simulation (0: one per core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = threads_parser())]
    pub threads: usize,
    /// Write manifests for a cluster engine instead of running.
    #[arg(long, value_enum, value_name = "ENGINE", requires_all = ["shards", "image"])]
    pub emit: Option<EmitArg>,
    /// With --emit: number of shards.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub shards: Option<u64>,
    /// With --emit: the container image holding `meridian` (see Containerfile).
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
    /// With --emit: the results folder the jobs write, relative to the shared /work folder.
    #[arg(long, value_name = "DIR", default_value = "meridian-batch")]
    pub results: String,
    /// With --emit: the job name.
    #[arg(long, default_value = "meridian-batch")]
    pub name: String,
    /// With --emit kubernetes: the PersistentVolumeClaim mounted at /work.
    #[arg(long, default_value = "meridian-work")]
    pub volume_claim: String,
    /// With --emit aws-batch: the job queue.
    #[arg(long, default_value = "meridian")]
    pub job_queue: String,
    /// With --emit aws-batch: the EFS file system (fs-...) mounted at /work.
    #[arg(long, value_name = "FS_ID")]
    pub efs_id: Option<String>,
}

/// Arguments of `meridian merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Results folders of the shards, or folders holding them.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Write the JSON report to PATH.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Write JUnit XML to PATH.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

/// Infrastructure-code format of `meridian export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// AWS CloudFormation templates.
    Cloudformation,
    /// A Terraform root module.
    Terraform,
}

/// Arguments of `meridian export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The folder to write into (created if missing; must be empty unless --force).
    #[arg(long, value_name = "DIR", default_value = "infra")]
    pub out: PathBuf,
    /// Overwrite files in a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// CloudFormation templates as JSON instead of YAML (CloudFormation only).
    #[arg(long)]
    pub template_json: bool,
    /// A shipped pack or a policy file whose residency rules limit replication; repeat for several.
    #[arg(long = "policy", value_name = "PACK|PATH")]
    pub policies: Vec<String>,
    /// Print a JSON summary (files, warnings, skipped checks) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `meridian pricing`.
#[derive(Debug, Args)]
pub struct PricingArgs {
    /// What to do with prices.
    #[command(subcommand)]
    pub what: PricingCommand,
}

/// Subcommands of `meridian pricing`.
#[derive(Debug, Subcommand)]
pub enum PricingCommand {
    /// Write a new price snapshot with current on-demand prices from the AWS Price List Query API.
    ///
    /// Needs a build with the `live-pricing` feature and AWS credentials from the standard chain
    /// (environment, AWS_PROFILE, SSO, instance role); any principal allowed `pricing:GetProducts`
    /// will do. Prices the API has are replaced (basis `read`, source dated today); everything else
    /// is kept from the base snapshot. Nothing is written unless every query succeeds.
    #[command(after_help = concat!(
        "Example:\n  meridian pricing refresh --out prices.ron\n",
        "  meridian pricing refresh --regions eu-west-1,eu-central-1 --services ec2-asg,alb --prices prices.ron\n",
        "  meridian cost --prices prices.ron design.ron\n\n",
        "The snapshot is written to --out, or else back to the --prices file it started from; the\n",
        "embedded snapshot is never overwritten unless named with --out. Credentials are never written.\n",
        "Builds without the `live-pricing` feature say so and exit 2:\n",
        "  cargo build --release -p meridian --features live-pricing\n\n",
        "Exit codes:\n  0  written, every price found\n  1  written, but some prices were not found or ambiguous (kept)\n",
        "  2  bad arguments, an unreadable --prices file, or a build without live-pricing\n",
        "  3  the API failed (credentials, network, throttling, a malformed response): nothing written"
    ))]
    Refresh(RefreshArgs),
}

/// Arguments of `meridian pricing refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// Region codes to refresh, comma-separated (default: every region the base snapshot has).
    #[arg(long, value_delimiter = ',', value_name = "REGION,...")]
    pub regions: Vec<String>,
    /// Service kinds to refresh, comma-separated, `data-transfer` for inter-region transfer
    /// (default: every kind the refresh can price).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub services: Vec<String>,
    /// Where to write the new snapshot (default: the --prices file).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The snapshot to start from (default: the embedded one); also the default --out.
    #[arg(long, value_name = "PATH")]
    pub prices: Option<PathBuf>,
    /// The AWS region whose Price List endpoint to call (us-east-1, eu-central-1 or ap-south-1).
    #[arg(long, default_value = "us-east-1", value_name = "REGION")]
    pub api_region: String,
}

/// Commitment option of `meridian cost`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CommitmentArg {
    /// On-demand prices.
    None,
    /// One-year Savings Plans / reservations.
    #[value(name = "1y")]
    OneYear,
    /// Three-year Savings Plans / reservations.
    #[value(name = "3y")]
    ThreeYear,
}

/// Arguments of `meridian cost`.
#[derive(Debug, Args)]
pub struct CostArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the line items as CSV instead of text.
    #[arg(long)]
    pub csv: bool,
    /// Commitment discounts to apply.
    #[arg(long, value_enum, default_value_t = CommitmentArg::None)]
    pub commitment: CommitmentArg,
    /// Hours in the month (default: the design's workload, normally 730).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=744))]
    pub hours_per_month: Option<u32>,
    /// Flag prices whose source was read more than this many days ago.
    #[arg(long, default_value_t = 180)]
    pub max_price_age_days: u32,
    /// A price snapshot file to use instead of the embedded one (same format as assets/pricing/snapshot.ron).
    #[arg(long, value_name = "PATH")]
    pub prices: Option<PathBuf>,
    /// Also project the bill over the next N months, the workload growing by its
    /// `growth_percent_per_month` (text and JSON).
    #[arg(long, value_name = "N", conflicts_with = "csv", value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: Option<u32>,
}

/// Arguments of `meridian variants`.
#[derive(Debug, Args)]
pub struct VariantsArgs {
    /// The design to derive the strategies from.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Folder to write `multi-az.ron`, `backup-restore.ron`, `pilot-light.ron`, `warm-standby.ron`
    /// and `active-active.ron` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Overwrite variant files already in DIR.
    #[arg(long)]
    pub force: bool,
}

/// How a scenario is run: `simulate`, `compare` and `report` share these options.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A built-in scenario name or a scenario file (RON, see docs/scenarios.md). The default, a
    /// year of random failures, makes downtime per year a year's downtime; scheduled scenarios
    /// such as region-outage measure recovery from one event and extrapolate their per-year figures.
    #[arg(long, default_value = "random-year", value_name = "NAME|PATH")]
    pub scenario: String,
    /// Number of Monte Carlo runs (overrides the scenario).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub runs: Option<u32>,
    /// Simulated time per run, e.g. 1y, 30d, 6h (overrides the scenario).
    #[arg(long, value_name = "SPAN", allow_hyphen_values = true)]
    pub horizon: Option<String>,
    /// Seed (overrides the scenario).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (0: one per core; at most 1024).
    #[arg(long, default_value_t = 0, value_parser = threads_parser())]
    pub threads: usize,
}

/// Arguments of `meridian compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The design files, one column each.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Scenario (run on every design), runs per design, horizon, seed and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Print one JSON document (rows with `best`, and every assessment) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write the cost-downtime frontier chart to PATH (.svg or .png).
    #[arg(long, value_name = "PATH")]
    pub chart: Option<PathBuf>,
}

/// Arguments of `meridian simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Scenario, runs, horizon, seed and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Write every figure as JSON to PATH (`-` for stdout, instead of the table), with each
    /// run's figures under `per_run`.
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,
    /// Write each run's figures (availability, requests lost, outages, longest RTO and RPO,
    /// writes lost, common-cause failures) as CSV to PATH, one line per run.
    #[arg(long, value_name = "PATH")]
    pub runs_csv: Option<PathBuf>,
    /// Write PNG and SVG charts into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
}

/// Arguments of `meridian report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Scenario, runs, horizon, seed and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// The HTML file to write.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
    /// A price snapshot file to use instead of the embedded one.
    #[arg(long, value_name = "PATH")]
    pub prices: Option<PathBuf>,
    /// Flag prices whose source was read more than this many days ago.
    #[arg(long, default_value_t = 180)]
    pub max_price_age_days: u32,
}

/// Output format for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// One JSON document on stdout.
    Json,
}

/// Arguments of `meridian validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Design files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Exit with 1 when a design has warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output format of `meridian check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Human-readable text, `FILE:LINE:COL: violation: ...` with the whole path.
    Text,
    /// One JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning in CI.
    Sarif,
}

/// Arguments of `meridian check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A shipped pack or a policy file; repeat for several. Default: every shipped pack.
    #[arg(long = "policy", value_name = "PACK|PATH")]
    pub policies: Vec<String>,
    /// Also check what happens during a simulated scenario (built-in name or file): where each
    /// population is served and where its writes land, run by run 0 of the scenario.
    #[arg(long, value_name = "NAME|PATH")]
    pub scenario: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Arguments of `meridian fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Design files to format.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// Only report files that are not canonical; change nothing.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `meridian info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `meridian bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which benchmark.
    #[command(subcommand)]
    pub what: Bench,
}

/// How `bench load` spreads the generated services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LoadShape {
    /// Cells over up to 12 regions.
    Spread,
    /// Every cell in two regions, with backups and EU personal data.
    TwoRegions,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum Bench {
    /// The designer's frame time: the real UI code on a generated design of N services, headless
    /// (an egui context without a GPU: layout and tessellation), while panning and zooming.
    #[cfg(feature = "gui")]
    Gui {
        /// Number of services in the generated design.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        services: u32,
        /// Frames measured; the median is reported.
        #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        frames: u32,
    },
    /// Load and validate a generated design of N services (from text in memory).
    Load {
        /// Number of services in the generated design.
        #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        services: u32,
        /// Timed repetitions; the median is reported.
        #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        iterations: u32,
        /// How the generated services are spread: over up to 12 regions, or all in two regions
        /// with backups and EU personal data (the shape of real large designs).
        #[arg(long, value_enum, default_value_t = LoadShape::Spread)]
        shape: LoadShape,
        /// Also time a design of this many services and print the scaling exponent between the
        /// two sizes (1.0 is linear), with the simulator's events/s measured in the same run.
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..=1_000_000))]
        scale_to: Option<u32>,
    },
    /// Recompute the whole bill of a generated design of N services (from the design in memory).
    Cost {
        /// Number of services in the generated design.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        services: u32,
        /// Timed repetitions; the median is reported.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        iterations: u32,
    },
    /// The simulator reference model (N components with exponential failure and repair, one
    /// Poisson request stream) through the real engine; defaults are the reference model.
    Sim {
        /// Components.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        components: u32,
        /// Mean time to failure, in time units.
        #[arg(long, default_value_t = 99.0)]
        mttf: f64,
        /// Mean time to repair, in time units.
        #[arg(long, default_value_t = 1.0)]
        mttr: f64,
        /// Request rate per time unit.
        #[arg(long, default_value_t = 1.0)]
        rate: f64,
        /// Simulated time units (one unit is one second of engine time).
        #[arg(long, default_value_t = 5e7)]
        horizon: f64,
        /// Seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Batch overhead and memory: a plan of designs x scenarios x runs, timed against the same
    /// simulations called directly, and peak memory of plans of growing size.
    Batch {
        /// Designs (the examples, repeated as needed).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
        designs: u32,
        /// Scenarios (the built-ins, repeated with other seeds as needed).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
        scenarios: u32,
        /// Runs per combination.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        /// Simulated time per run instead of each scenario's own, e.g. 30d.
        #[arg(long)]
        horizon: Option<String>,
    },
    /// Export a generated design of N services (two regions) and report the time and the peak
    /// memory (resident set) of the process.
    Export {
        /// Number of services in the generated design.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        services: u32,
        /// What to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Cloudformation)]
        format: ExportFormat,
    },
    /// Monte Carlo throughput: a design under a scenario for many runs.
    Montecarlo {
        /// Runs.
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        runs: u32,
        /// The design file.
        #[arg(long, default_value = "examples/active-active-2region.ron")]
        design: PathBuf,
        /// Built-in scenario name.
        #[arg(long, default_value = "random-year")]
        scenario: String,
        /// Worker threads (0: one per core; at most 1024).
        #[arg(long, default_value_t = 0, value_parser = threads_parser())]
        threads: usize,
    },
}

/// The most worker threads a run may ask for with `--threads`.
pub const MAX_THREADS: u64 = 1024;

/// `--threads`: 0 (one per core) to [`MAX_THREADS`].
fn threads_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_THREADS)
}

/// Arguments of `meridian import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What to import.
    #[command(subcommand)]
    pub from: ImportSource,
    /// The design file to write.
    #[arg(long, value_name = "FILE", default_value = "imported.ron", global = true)]
    pub out: PathBuf,
    /// Overwrite --out if it exists.
    #[arg(long, global = true)]
    pub force: bool,
    /// How to print the report of what was read and skipped.
    #[arg(long, value_enum, default_value_t = ImportReportFormat::Text, global = true)]
    pub format: ImportReportFormat,
}

/// What `meridian import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// CloudFormation templates (YAML or JSON), one per region, plus global ones.
    Cloudformation {
        /// The templates; a template's region is the region code in its file name, else --region.
        #[arg(value_name = "TEMPLATE", required = true)]
        templates: Vec<PathBuf>,
        /// The region of templates whose file name holds no region code.
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
    },
    /// A folder of `.tf` files (with its local modules), or the JSON of `terraform show -json`.
    Terraform {
        /// The folder or the plan's JSON.
        #[arg(value_name = "DIR|PLAN.json")]
        path: PathBuf,
    },
}

/// The report format of `meridian import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportReportFormat {
    /// Lines for people.
    Text,
    /// One JSON document.
    Json,
}

/// Arguments of `meridian export-picture`.
#[derive(Debug, Args)]
pub struct ExportPictureArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The picture to write: `.svg` or `.png` (the format follows the extension).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// PNG pixels per canvas unit (0.25 to 4; lowered for designs too large for 16 megapixels).
    #[arg(long, default_value_t = 1.0, value_parser = parse_picture_scale)]
    pub scale: f32,
    /// Overwrite --out if it exists.
    #[arg(long)]
    pub force: bool,
}

/// `--scale` of `export-picture`: a number from 0.25 to 4.
fn parse_picture_scale(text: &str) -> Result<f32, String> {
    let v: f32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if (0.25..=4.0).contains(&v) { Ok(v) } else { Err(format!("{v} is outside 0.25 to 4")) }
}

/// How `meridian diff` writes its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for a terminal.
    Text,
    /// One JSON document: the structural changes, every figure with its test and verdict, and
    /// the data-law findings added and resolved.
    Json,
    /// A GitHub pull-request comment.
    Markdown,
}

/// Arguments of `meridian diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change (e.g. `git show main:design.ron > before.ron`).
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,
    /// The design after the change.
    #[arg(value_name = "AFTER")]
    pub after: PathBuf,
    /// Scenario (run on both designs with the same seed), runs, horizon, seed and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the review to PATH instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// A rise of the monthly total up to this many percent does not count as worse.
    #[arg(long, default_value_t = 0.0, value_name = "PERCENT", value_parser = tolerance, allow_hyphen_values = true)]
    pub cost_tolerance: f64,
}

fn tolerance(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a percentage of 0 or more")),
    }
}
