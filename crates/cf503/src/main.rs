//! `cf503`: the command-line front end. It reads files and prints; every decision is made by
//! `cf503-core`.

mod edges;
mod fetch;
mod logs;
mod transport;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use cf503_core::report::Format;
use cf503_core::{Analysis, ParseError};
use clap::{Args, Parser, Subcommand};

/// Exit statuses: one table, from which every command's `--help` is written.
mod exit {
    /// A report was printed.
    pub const OK: u8 = 0;
    /// Output could not be written.
    pub const IO: u8 = 1;
    /// The input could not be read (or the command line was wrong).
    pub const BAD_INPUT: u8 = 2;
    /// The URL could not be fetched (`cf503 check`).
    pub const FETCH: u8 = 3;

    /// The commands, to say which a status applies to.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Cmd {
        Explain,
        Dns,
        Check,
        Logs,
        Edges,
    }

    const ALL: &[Cmd] = &[Cmd::Explain, Cmd::Dns, Cmd::Check, Cmd::Logs, Cmd::Edges];

    /// Each status, the commands it applies to, and what it means for them.
    pub const TABLE: &[(u8, &[Cmd], &str)] = &[
        (OK, ALL, "a report was printed, whatever it found"),
        (
            IO,
            ALL,
            "the report could not be written (e.g. a closed output)",
        ),
        (
            BAD_INPUT,
            &[Cmd::Explain],
            "the input or the --config could not be read (or serves another host), or bad usage",
        ),
        (
            BAD_INPUT,
            &[Cmd::Dns],
            "bad usage: not a domain name, or no usable resolver",
        ),
        (
            BAD_INPUT,
            &[Cmd::Check],
            "bad usage: not an http(s) URL, a bad --resolver, --doh, --origin or --config",
        ),
        (
            BAD_INPUT,
            &[Cmd::Logs],
            "no file could be read, none held a record of a known log format, or bad usage",
        ),
        (
            BAD_INPUT,
            &[Cmd::Edges],
            "bad usage: not an http(s) URL with a host name, a bad --subnet or --resolver",
        ),
        (
            FETCH,
            &[Cmd::Check],
            "the URL could not be fetched: the one-line message says why (refused, time-out, TLS, DNS)",
        ),
    ];

    /// The `Exit status:` section of a command's help (`None`: the top level, every command).
    pub fn help(cmd: Option<Cmd>) -> String {
        let mut out = String::from("Exit status:");
        for (code, cmds, meaning) in TABLE {
            match cmd {
                Some(c) if cmds.contains(&c) => out.push_str(&format!("\n  {code}  {meaning}")),
                Some(_) => {}
                None if cmds.len() == ALL.len() => out.push_str(&format!("\n  {code}  {meaning}")),
                None => {
                    let names: Vec<&str> = cmds.iter().map(|c| c.name()).collect();
                    out.push_str(&format!("\n  {code}  ({}) {meaning}", names.join(", ")));
                }
            }
        }
        out
    }

    impl Cmd {
        fn name(self) -> &'static str {
            match self {
                Cmd::Explain => "explain",
                Cmd::Dns => "dns",
                Cmd::Check => "check",
                Cmd::Logs => "logs",
                Cmd::Edges => "edges",
            }
        }
    }
}

use exit::Cmd;

/// A command's help after the options: its exit statuses, then its examples.
fn after_help(cmd: Option<Cmd>, examples: &str) -> String {
    format!("{}\n\nExamples:\n{examples}", exit::help(cmd))
}

/// The DNS check's default bound, seconds: the core's.
const DNS_DEADLINE_S: u64 = cf503_core::dns::DEFAULT_DEADLINE_MS / 1000;

/// The largest input read: support HAR files run to hundreds of megabytes; beyond this the
/// user should export only the failing page.
const MAX_INPUT: usize = 1024 * 1024 * 1024;

const EXPLAIN_EXAMPLES: &str = "  curl -si https://example.com/ | cf503 explain
  cf503 explain --markdown saved-response.txt
  cf503 explain --json network.har
  aws cloudfront get-distribution --id E1AUTHEXAMPLE1 > dist.json
  cf503 explain saved.txt --config dist.json --url https://www.example.com/a";

#[derive(Parser, Debug)]
#[command(
    name = "cf503",
    version,
    about = "Diagnose HTTP 503 (and 502/504) errors served by Amazon CloudFront",
    long_about = "Diagnose HTTP 503 (and 502/504) errors served by Amazon CloudFront.\n\nGive it what you saw (curl -si output, response headers, or a HAR file) and it names the cause: the origin is overloaded, CloudFront cannot resolve the origin, the edge ran out of capacity, a Lambda@Edge or CloudFront Functions handler failed or is throttled, and more, with the evidence and the next steps. Secrets (cookies, authorization headers, signed-URL parameters) are redacted from every report.",
    after_help = after_help(None, EXPLAIN_EXAMPLES)
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Diagnose a saved response (curl -si/-i/-I/-v output, raw headers, devtools copy) or a HAR file
    #[command(after_help = after_help(Some(Cmd::Explain), EXPLAIN_EXAMPLES))]
    Explain(ExplainArgs),
    /// Check an origin domain's DNS as CloudFront needs it: every name server asked directly
    #[command(after_help = format!("{DNS_WHAT_IT_DOES}\n\n{}", after_help(Some(Cmd::Dns), DNS_EXAMPLES)))]
    Dns(DnsArgs),
    /// Fetch a URL and diagnose the response (with --origin, also check the origin's DNS)
    #[command(after_help = after_help(Some(Cmd::Check), CHECK_EXAMPLES))]
    Check(CheckArgs),
    /// Read CloudFront access logs (files, folders, .gz, -) and count their 5xx by cause, minute,
    /// edge location and path
    #[command(after_help = format!("{LOGS_ABOUT}\n\n{}", after_help(Some(Cmd::Logs), LOGS_EXAMPLES)))]
    Logs(LogsArgs),
    /// Ask several CloudFront edge locations for a URL: one edge location failing, one Region's,
    /// or all of them
    #[command(after_help = format!("{EDGES_ABOUT}\n\n{}", after_help(Some(Cmd::Edges), EDGES_EXAMPLES)))]
    Edges(EdgesArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) to standard output
    #[command(
        after_help = "Examples:\n  cf503 completions bash > ~/.local/share/bash-completion/completions/cf503\n  cf503 completions zsh > \"${fpath[1]}/_cf503\"\n  cf503 completions fish > ~/.config/fish/completions/cf503.fish"
    )]
    Completions {
        /// The shell
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output, every subcommand in it; or write one page
    /// per command into a folder
    #[command(
        after_help = "Examples:\n  cf503 manpage | man -l -\n  cf503 manpage --out-dir ~/.local/share/man/man1"
    )]
    Manpage {
        /// Write cf503.1 and one cf503-COMMAND.1 per command into this folder instead
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

const EDGES_ABOUT: &str = "\
What it sends, and to whom: the URL's host name to the resolver (default 8.8.8.8, which passes
a client subnet on), once per client subnet (default: eight places on five continents; each is
an address block, never yours); the edges' reverse names to the same resolver; then two GET
requests of the URL to each edge address found (at most 16), with the URL's Host and TLS name,
certificates checked. All within --timeout. Where it fails says what fails: one edge location
(its capacity, or an error cached there), every edge location of one Region (a Lambda@Edge
function throttled or failing there), or all of them (not the edge: the origin or the
configuration). Limits: a distribution on Anycast static IPs, or a resolver that drops client
subnets, gives the same edges everywhere; the report says so.";

const EDGES_EXAMPLES: &str = "  cf503 edges https://www.example.com/
  cf503 edges https://www.example.com/app --subnet Frankfurt=80.128.0.0/24
  cf503 edges https://www.example.com/ --resolver 127.0.0.1:5353 --json";

#[derive(Args, Debug)]
struct EdgesArgs {
    /// The failing page's URL
    #[arg(value_name = "URL")]
    url: String,
    /// A client subnet to ask for, LABEL=ADDR/PREFIX or ADDR/PREFIX; repeat for several
    /// (default: eight places on five continents)
    #[arg(long, value_name = "[LABEL=]CIDR")]
    subnet: Vec<String>,
    /// Recursive resolver that passes client subnets on, ADDR or ADDR:PORT (default 8.8.8.8)
    #[arg(long, value_name = "ADDR[:PORT]")]
    resolver: Option<String>,
    /// Seconds the whole check may take
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    timeout: u64,
    #[command(flatten)]
    output: OutputArgs,
}

const LOGS_ABOUT: &str = "\
Standard logs (legacy and v2 W3C) are read by each file's #Fields line; real-time logs have no
header: give their field order with --fields, or --fields-from a saved get-realtime-log-config
answer (v2 plain logs too, with --delimiter if it is not a tab). v2 JSON lines need nothing.
A progress bar shows on a terminal for large inputs (never when standard error is piped). Folders (as `aws s3 sync` writes them) are read
recursively; .gz files are decompressed. Each error's cause comes from the same rules as a
response's X-Cache.";

const LOGS_EXAMPLES: &str = "  aws s3 sync s3://bucket/prefix ./cf-logs && cf503 logs ./cf-logs/
  cf503 logs --status 503 --json E2ABC.2026-11-26-05.*.gz
  cf503 logs --since 2026-11-26T05:00 --until 2026-11-26T06:00 ./cf-logs/
  cf503 logs --fields-from realtime-config.json - < kinesis.tsv
  cf503 logs --fields timestamp,sc-status,x-edge-detailed-result-type - < r.tsv
  cf503 logs --fields-from config.json --delimiter '|' v2-plain.log";

#[derive(Args, Debug)]
struct LogsArgs {
    /// Log files or folders (`-` for standard input); with --sql duckdb, the files to query
    #[arg(value_name = "PATH", required_unless_present = "sql")]
    paths: Vec<std::path::PathBuf>,
    /// Print SQL instead: the table DDL and a by-cause query for Athena, or a by-cause query
    /// for DuckDB over the PATHs (the same classification as cf503 logs)
    #[arg(long, value_name = "athena|duckdb")]
    sql: Option<String>,
    /// With --sql athena: the S3 location of the logs
    #[arg(
        long,
        value_name = "S3-URL",
        default_value = "s3://YOUR-LOG-BUCKET/PREFIX/"
    )]
    location: String,
    /// Which errors to count: 5xx (default) or one server error from 500 to 599, e.g. 503
    #[arg(long, default_value = "5xx", value_name = "5xx|STATUS")]
    status: String,
    /// Field order of header-less (real-time) records, comma-separated
    #[arg(long, value_name = "FIELD,...", conflicts_with = "fields_from")]
    fields: Option<String>,
    /// Field order of real-time records from a saved `aws cloudfront get-realtime-log-config`
    /// answer (the authority for their column order)
    #[arg(long, value_name = "CONFIG.json")]
    fields_from: Option<std::path::PathBuf>,
    /// Values separated by this character instead of tabs (standard logging v2 `plain`, as its
    /// delivery's fieldDelimiter says): one character, or tab or space
    #[arg(long, value_name = "CHAR")]
    delimiter: Option<String>,
    /// Leave out records before this UTC time (2026-11-26T05:00, 2026-11-26 05:00:30, 2026-11-26)
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Leave out records from this UTC time on
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

const CHECK_EXAMPLES: &str = "  cf503 check https://www.example.com/
  cf503 check https://www.example.com/ --origin origin.example.com --json
  cf503 check https://www.example.com/api/orders --config ./cloudfront-configs/";

#[derive(Args, Debug)]
struct CheckArgs {
    /// The URL that fails
    #[arg(value_name = "URL")]
    url: String,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    origin: OriginArgs,
    #[command(flatten)]
    config: ConfigArgs,
    /// Also ask several edge locations for the URL (as `cf503 edges` does, within --timeout):
    /// where it fails weighs in the verdict
    #[arg(long)]
    edges: bool,
    /// With --edges: a client subnet to ask for, [LABEL=]CIDR; repeat for several
    #[arg(long, value_name = "[LABEL=]CIDR", requires = "edges")]
    subnet: Vec<String>,
    /// With --edges: the resolver that passes client subnets on (default 8.8.8.8)
    #[arg(long, value_name = "ADDR[:PORT]", requires = "edges")]
    edges_resolver: Option<String>,
    /// Seconds the fetch may take
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    timeout: u64,
}

const DNS_WHAT_IT_DOES: &str = "\
What it does (the dig session it replaces, all at once):
  dig <origin> SOA, and each parent, to find the zone apex (no public-suffix guessing)
  dig <apex> NS +short, and the parent zone's delegation
  dig <origin> A/AAAA @<each name server> +norec, and the SOA serial at each
  dig <origin> through the resolver, with and without DNSSEC checking (+cd)";

const DNS_EXAMPLES: &str = "  cf503 dns origin.example.com
  cf503 dns origin.example.com --resolver 9.9.9.9 --json";

#[derive(Args, Debug)]
struct DnsArgs {
    /// The origin domain (from the distribution's origin settings)
    #[arg(value_name = "DOMAIN")]
    domain: String,
    /// Recursive resolver, ADDR or ADDR:PORT (default: the first nameserver in /etc/resolv.conf)
    #[arg(long, value_name = "ADDR[:PORT]", conflicts_with = "doh")]
    resolver: Option<String>,
    /// Ask DNS-over-HTTPS resolvers instead (RFC 8484: GET, POST for a resolver that refuses
    /// GET), as the browser does; repeat to ask several (at most 8) and compare them. Name
    /// servers cannot be asked directly then
    #[arg(long, value_name = "URL")]
    doh: Vec<String>,
    #[command(flatten)]
    output: OutputArgs,
    /// Seconds the whole check may take
    #[arg(long, default_value_t = DNS_DEADLINE_S, value_name = "SECONDS")]
    deadline: u64,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    #[command(flatten)]
    output: OutputArgs,
    /// File to read; `-` or nothing reads standard input. HAR files are recognised by content
    #[arg(value_name = "FILE", default_value = "-")]
    file: PathBuf,
    #[command(flatten)]
    origin: OriginArgs,
    #[command(flatten)]
    config: ConfigArgs,
    /// The request's URL, when the saved response does not carry it: picks the distribution in
    /// --config by its Host and the cache behaviour by its path
    #[arg(long, value_name = "URL", requires = "config")]
    url: Option<String>,
}

/// The distribution's configuration beside a diagnosis: defined once, for `explain` and `check`.
#[derive(Args, Debug)]
struct ConfigArgs {
    /// The distribution's config: `aws cloudfront get-distribution(-config)` or
    /// `list-distributions` output (JSON or XML), a CloudFormation template (JSON), or
    /// `terraform show -json`; or a folder of them (the request's Host picks the distribution).
    /// The report then names the function, origin and settings behind the error, and the config's
    /// 5xx risks. Origin custom header values are never shown
    #[arg(long, value_name = "FILE|DIR")]
    config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The config documents, when --config was given: a file, or every file of a folder.
    fn read(&self) -> Result<Vec<cf503_core::config::Configs>, CliError> {
        let Some(path) = &self.config else {
            return Ok(Vec::new());
        };
        let shown = |p: &std::path::Path| format!("--config {}", p.display());
        let read_one = |p: &std::path::Path| -> Result<cf503_core::config::Configs, CliError> {
            let f = std::fs::File::open(p).map_err(|source| CliError::Read {
                name: shown(p),
                source,
            })?;
            let limit = cf503_core::config::MAX_CONFIG_BYTES as u64;
            let mut bytes = Vec::new();
            io::Read::read_to_end(&mut io::Read::take(f, limit + 1), &mut bytes).map_err(
                |source| CliError::Read {
                    name: shown(p),
                    source,
                },
            )?;
            cf503_core::config::read(&bytes).map_err(|e| CliError::Config {
                name: shown(p),
                source: e,
            })
        };
        if !path.is_dir() {
            return Ok(vec![read_one(path)?]);
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| CliError::Read {
                name: shown(path),
                source,
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("xml")
                    })
            })
            .collect();
        files.sort();
        let mut configs = Vec::new();
        let mut first_err = None;
        for f in &files {
            match read_one(f) {
                Ok(c) => configs.push(c),
                // Other JSON in the folder (a function's config, a state without a
                // distribution) is not an error while some file holds a distribution.
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
        if configs.is_empty() {
            return Err(first_err.unwrap_or_else(|| {
                CliError::Usage(format!(
                    "{}: no .json or .xml file in the folder",
                    shown(path)
                ))
            }));
        }
        Ok(configs)
    }
}

/// Joins the configs to an analysis, or says why none applies.
fn join_config(
    analysis: &mut Analysis,
    configs: &[cf503_core::config::Configs],
    url: Option<&str>,
) -> Result<(), CliError> {
    if configs.is_empty() {
        return Ok(());
    }
    analysis
        .join_config(configs, url)
        .map_err(|e| CliError::Usage(format!("--config: {e}")))
}

/// The origin the config routes a URL to, for a DNS check nobody typed.
fn config_origin(configs: &[cf503_core::config::Configs], url: &str) -> Option<String> {
    let (route, _) = cf503_core::config::routing::route_any(configs, Some(url)).ok()?;
    cf503_core::config::explain::origin_to_check(&route)
}

/// How a report is printed: defined once, for every command.
#[derive(Args, Debug)]
struct OutputArgs {
    /// Print JSON (the command's schema: cf503.report, cf503.har_report, cf503.dns_report or
    /// cf503.logs_report; see README)
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print Markdown, for a support ticket or a post-mortem
    #[arg(long)]
    markdown: bool,
    /// Colour the text's verdict line in its cause's colour: auto (a terminal, unless NO_COLOR
    /// is set or TERM is dumb), always, never
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: ColorWhen,
}

/// When text is coloured (`--color`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl OutputArgs {
    /// Whether text output is coloured: `--color always`, or `auto` on a terminal without
    /// NO_COLOR (no-color.org: set and not empty) and with a TERM that is not `dumb`.
    fn colour(&self) -> bool {
        use std::io::IsTerminal;
        match self.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                    && io::stdout().is_terminal()
            }
        }
    }

    /// A rendered report as printed: text coloured when [`Self::colour`] says so.
    fn styled(&self, out: String) -> String {
        if self.format() == Format::Text && self.colour() {
            cf503_core::report::ansi(&out)
        } else {
            out
        }
    }

    fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else if self.markdown {
            Format::Markdown
        } else {
            Format::Text
        }
    }
}

/// The origin's DNS check beside a diagnosis: defined once, for `explain` and `check`.
#[derive(Args, Debug)]
struct OriginArgs {
    /// Also check the origin's DNS (the domain in the distribution's origin settings)
    #[arg(long, value_name = "DOMAIN")]
    origin: Option<String>,
    /// Recursive resolver for the origin's DNS check, ADDR or ADDR:PORT (default:
    /// /etc/resolv.conf); the origin is --origin, or the one --config routes the request to
    #[arg(long, value_name = "ADDR[:PORT]", conflicts_with = "doh")]
    resolver: Option<String>,
    /// Ask DNS-over-HTTPS resolvers for --origin instead (as the browser does); repeat for
    /// several. A resolver that fails is reported as such, never as the origin's DNS failing
    #[arg(long, value_name = "URL")]
    doh: Vec<String>,
}

impl OriginArgs {
    /// --resolver and --doh say how to check an origin: one must be named, by --origin or by
    /// --config.
    fn usable(&self, has_config: bool) -> Result<(), CliError> {
        if self.origin.is_none() && !has_config && (self.resolver.is_some() || !self.doh.is_empty())
        {
            return Err(CliError::Usage(
                "--resolver and --doh are for the origin's DNS check: name the origin with --origin DOMAIN, or give the distribution's --config".into(),
            ));
        }
        Ok(())
    }

    /// The origin's DNS check, when --origin was given (or `from_config`, the origin the
    /// distribution's config names), bounded by `deadline` seconds.
    fn check(
        &self,
        from_config: Option<&str>,
        deadline: u64,
    ) -> Result<Option<cf503_core::dns::DnsReport>, CliError> {
        let Some(origin) = self.origin.as_deref().or(from_config) else {
            return Ok(None);
        };
        if self.doh.is_empty() {
            return Ok(Some(
                check_dns(origin, self.resolver.as_deref(), deadline)?.1,
            ));
        }
        cf503_core::dns::doh::check_resolver_urls(&self.doh)
            .map_err(|e| CliError::Usage(format!("--doh: {e}")))?;
        let endpoints = transport::Endpoints::Doh {
            urls: self.doh.clone(),
        };
        Ok(Some(check_dns_over(origin, endpoints, deadline)?))
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{name}: cannot read: {source}")]
    Read { name: String, source: io::Error },
    #[error("{name}: {source}")]
    Input { name: String, source: ParseError },
    #[error("cannot write the report: {0}")]
    Write(io::Error),
    #[error("{name}: cannot write: {source}")]
    WriteTo { name: String, source: io::Error },
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    #[error("{name}: {source}")]
    Config {
        name: String,
        source: cf503_core::config::ConfigError,
    },
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Read { .. }
            | CliError::Input { .. }
            | CliError::Usage(_)
            | CliError::Config { .. } => exit::BAD_INPUT,
            CliError::Write(_) | CliError::WriteTo { .. } => exit::IO,
            CliError::Fetch(_) => exit::FETCH,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let code = if e.use_stderr() {
                exit::BAD_INPUT
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Explain(args) => explain(&args),
        Command::Dns(args) => dns(&args),
        Command::Check(args) => check(&args),
        Command::Logs(args) => logs::run(&args),
        Command::Edges(args) => edges::run(&args),
        Command::Completions { shell } => completions(shell),
        Command::Manpage { out_dir } => manpage(out_dir.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(CliError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            // One line people paste into tickets: no secret (a URL's signature, a quoted
            // line), no terminal escape (a file name).
            eprintln!(
                "cf503: {}",
                cf503_core::redact::for_terminal(&e.to_string())
            );
            ExitCode::from(e.exit_code())
        }
    }
}

/// Completions from the same definitions as `--help`.
fn completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_complete::generate(
        shell,
        &mut <Cli as clap::CommandFactory>::command(),
        "cf503",
        &mut out,
    );
    io::stdout().write_all(&out).map_err(CliError::Write)
}

/// The man page (section 1) from the same definitions as `--help`, each subcommand's options
/// and exit statuses included.
fn manpage(out_dir: Option<&std::path::Path>) -> Result<(), CliError> {
    let command = <Cli as clap::CommandFactory>::command();
    if let Some(dir) = out_dir {
        return clap_mangen::generate_to(command, dir).map_err(|source| CliError::WriteTo {
            name: format!("--out-dir {}", dir.display()),
            source,
        });
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut out)
        .map_err(CliError::Write)?;
    for sub in command.get_subcommands() {
        let sub = sub
            .clone()
            .display_name(format!("cf503-{}", sub.get_name()))
            .bin_name(format!("cf503 {}", sub.get_name()));
        out.extend_from_slice(b".SH \"\"\n");
        let mut page = Vec::new();
        clap_mangen::Man::new(sub)
            .render(&mut page)
            .map_err(CliError::Write)?;
        // One page: each subcommand's sections follow the main ones, without a second title.
        let page = String::from_utf8_lossy(&page);
        let body: String = page
            .lines()
            .filter(|l| !l.starts_with(".TH ") && !l.starts_with(".ie ") && !l.starts_with(".el "))
            .map(|l| format!("{l}\n"))
            .collect();
        out.extend_from_slice(body.as_bytes());
    }
    io::stdout().write_all(&out).map_err(CliError::Write)
}

fn dns(args: &DnsArgs) -> Result<(), CliError> {
    let (resolver, report) = if args.doh.is_empty() {
        let (addr, r) = check_dns(&args.domain, args.resolver.as_deref(), args.deadline)?;
        (addr.to_string(), r)
    } else {
        cf503_core::dns::doh::check_resolver_urls(&args.doh)
            .map_err(|e| CliError::Usage(format!("--doh: {e}")))?;
        let listed = args
            .doh
            .iter()
            .enumerate()
            .map(|(i, u)| format!("[{}] {u}", i + 1))
            .collect::<Vec<_>>()
            .join("  ");
        let endpoints = transport::Endpoints::Doh {
            urls: args.doh.clone(),
        };
        (
            listed,
            check_dns_over(&args.domain, endpoints, args.deadline)?,
        )
    };
    let out = match args.output.format() {
        Format::Json => cf503_core::report::dns_json(&report) + "\n",
        Format::Markdown => cf503_core::report::dns_markdown(&report),
        Format::Text => format!(
            "resolver: {resolver}\n{}",
            cf503_core::report::dns_text(&report)
        ),
    };
    write_out(&out)
}

/// Runs the core's DNS check of `domain` over UDP/TCP.
fn check_dns(
    domain: &str,
    resolver: Option<&str>,
    deadline_s: u64,
) -> Result<(std::net::SocketAddr, cf503_core::dns::DnsReport), CliError> {
    let resolver = match resolver {
        Some(r) => transport::parse_resolver(r).ok_or_else(|| {
            CliError::Usage(format!("--resolver {r:?}: give an IP address, optionally with :PORT (e.g. 9.9.9.9 or 127.0.0.1:5353)"))
        })?,
        None => transport::system_resolver().ok_or_else(|| {
            CliError::Usage("no nameserver in /etc/resolv.conf: give one with --resolver ADDR[:PORT]".into())
        })?,
    };
    let report = check_dns_over(
        domain,
        transport::Endpoints::Udp {
            resolver,
            server_port: 53,
        },
        deadline_s,
    )?;
    Ok((resolver, report))
}

/// Runs the core's DNS check of `domain` over a transport, bounded by `deadline_s` (the core
/// follows a CNAME chain into another zone itself, within the same deadline).
fn check_dns_over(
    domain: &str,
    endpoints: transport::Endpoints,
    deadline_s: u64,
) -> Result<cf503_core::dns::DnsReport, CliError> {
    run_check(domain, endpoints, deadline_s.max(1) * 1000)
}

fn run_check(
    domain: &str,
    endpoints: transport::Endpoints,
    deadline_ms: u64,
) -> Result<cf503_core::dns::DnsReport, CliError> {
    use cf503_core::dns::{Config, DohCheck, OriginCheck};
    let config = Config {
        deadline_ms,
        ..Config::default()
    };
    match endpoints {
        transport::Endpoints::Udp {
            resolver,
            server_port,
        } => {
            let mut check = OriginCheck::new(domain, config, random_seed())
                .map_err(|e| CliError::Usage(format!("{domain:?}: {e}")))?;
            transport::run_udp(&mut check, resolver, server_port);
            Ok(check.report())
        }
        transport::Endpoints::Doh { urls } => {
            let mut check = DohCheck::new(domain, &urls, config, random_seed())
                .map_err(|e| CliError::Usage(format!("{domain:?}: {e}")))?;
            transport::drive(&mut check, transport::doh_exchange);
            Ok(check.report())
        }
    }
}

/// A URL `check` can fetch: http or https, with a host. Anything else is bad usage (exit 2),
/// not a fetch that failed (exit 3).
fn fetchable(url: &str) -> Result<(), CliError> {
    let ok = url
        .parse::<ureq::http::Uri>()
        .ok()
        .filter(|u| matches!(u.scheme_str(), Some("http" | "https")))
        .is_some_and(|u| u.host().is_some_and(|h| !h.is_empty()));
    if ok {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "{:?}: give an http:// or https:// URL, such as https://www.example.com/",
        cf503_core::redact::url(url)
    )))
}

fn check(args: &CheckArgs) -> Result<(), CliError> {
    fetchable(&args.url)?;
    args.origin.usable(args.config.config.is_some())?;
    let configs = args.config.read()?;
    // The config says where the URL goes before anything is fetched: its origin's DNS is
    // checked without --origin.
    let from_config = config_origin(&configs, &args.url);
    let edges_plan = if args.edges {
        Some(edges::Plan::new(
            &args.url,
            &args.subnet,
            args.edges_resolver.as_deref(),
        )?)
    } else {
        None
    };
    let timeout = args.timeout.max(1);
    // The fetch, the origin's DNS check and the edges run side by side, each bounded by
    // --timeout, so the whole command is.
    let (obs, dns, edges_report) = std::thread::scope(|s| {
        let from_config = from_config.as_deref();
        let dns = s.spawn(move || args.origin.check(from_config, timeout));
        let edges = edges_plan
            .as_ref()
            .map(|plan| s.spawn(move || plan.gather(timeout)));
        let obs = fetch::fetch(&args.url, std::time::Duration::from_secs(timeout));
        let dns = dns.join().expect("the DNS check does not panic");
        let edges = edges.map(|h| h.join().expect("the edges check does not panic"));
        (obs, dns, edges)
    });
    let obs = obs?;
    let d = cf503_core::diagnose::diagnose_with(&obs, dns?.as_ref(), edges_report.as_ref());
    let mut analysis = Analysis::Response(Box::new((obs, d)));
    join_config(&mut analysis, &configs, Some(&args.url))?;
    let mut out = args.output.styled(analysis.render(args.output.format()));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    write_out(&out)
}

/// Seed for DNS message IDs: OS randomness via the std hasher's random keys, mixed with time.
pub(crate) fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

pub(crate) fn write_out(out: &str) -> Result<(), CliError> {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(out.as_bytes()).map_err(CliError::Write)?;
    lock.flush().map_err(CliError::Write)
}

fn explain(args: &ExplainArgs) -> Result<(), CliError> {
    args.origin.usable(args.config.config.is_some())?;
    let (name, bytes) = read_input(&args.file)?;
    let configs = args.config.read()?;
    // explain stays offline unless asked: the config's origin is checked only when a resolver
    // was named for it.
    let asked = args.origin.resolver.is_some() || !args.origin.doh.is_empty();
    let from_config = match (&args.url, asked) {
        (Some(url), true) => config_origin(&configs, url),
        _ => None,
    };
    if args.origin.origin.is_some() || from_config.is_some() {
        // A bad file should fail before any network traffic.
        cf503_core::parse_input(&bytes).map_err(|source| CliError::Input {
            name: name.clone(),
            source,
        })?;
    }
    let dns = args.origin.check(from_config.as_deref(), DNS_DEADLINE_S)?;
    let mut analysis =
        cf503_core::analyze_with_dns(&bytes, dns.as_ref()).map_err(|source| CliError::Input {
            name: name.clone(),
            source,
        })?;
    join_config(&mut analysis, &configs, args.url.as_deref())?;
    let mut out = args.output.styled(analysis.render(args.output.format()));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    write_out(&out)?;
    if let Analysis::Har { har, .. } = &analysis
        && har.failing.is_empty()
    {
        eprintln!(
            "cf503: {}: none of the {} entries failed (no 5xx, no CloudFront-generated 4xx)",
            cf503_core::redact::for_terminal(&name),
            har.total_entries
        );
    }
    Ok(())
}

/// Input bytes: a memory map for regular files (a 100 MB HAR is then not copied, and its pages
/// come from the page cache), a buffer for standard input and anything else.
enum InputBytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for InputBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            InputBytes::Mapped(m) => m,
            InputBytes::Owned(v) => v,
        }
    }
}

fn read_input(path: &PathBuf) -> Result<(String, InputBytes), CliError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    if stdin && std::io::IsTerminal::is_terminal(&io::stdin()) {
        // Nothing piped in: say what is awaited rather than wait in silence.
        eprintln!(
            "cf503: reading from the terminal: paste the response (curl -si output, its headers, or the error page's text), then press Ctrl-D"
        );
    }
    let read = if stdin {
        cf503_core::parse::read_limited(io::stdin().lock(), MAX_INPUT)
            .map(|r| r.map(InputBytes::Owned))
    } else {
        std::fs::File::open(path).and_then(|f| {
            let meta = f.metadata()?;
            if meta.len() > MAX_INPUT as u64 {
                return Ok(Err(ParseError::TooLarge { limit: MAX_INPUT }));
            }
            if meta.is_file() && meta.len() > 0 {
                return map(&f).map(|m| Ok(InputBytes::Mapped(m)));
            }
            // Pipes, devices, empty files: read them.
            cf503_core::parse::read_limited(f, MAX_INPUT).map(|r| r.map(InputBytes::Owned))
        })
    };
    match read {
        Ok(Ok(bytes)) => Ok((name, bytes)),
        Ok(Err(source)) => Err(CliError::Input { name, source }),
        Err(source) => Err(CliError::Read { name, source }),
    }
}

#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only and lives only while this process reads it. If another
    // process truncates the file meanwhile, reads past the new end fault (SIGBUS), as in every
    // mmap-based reader (ripgrep included); the map is never written, so no other undefined
    // behaviour follows from it.
    unsafe { memmap2::Mmap::map(file) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    /// Every command's help says its exit statuses, from the one table: `check` alone can
    /// fail to fetch; each says what its status 2 means.
    #[test]
    fn each_command_help_lists_its_statuses_from_the_table() {
        let mut root = Cli::command();
        let top = root.render_long_help().to_string();
        for cmd in ["explain", "dns", "check", "logs", "edges"] {
            let help = root
                .find_subcommand_mut(cmd)
                .unwrap()
                .render_long_help()
                .to_string();
            assert!(
                help.contains(&exit::help(Some(match cmd {
                    "explain" => Cmd::Explain,
                    "dns" => Cmd::Dns,
                    "check" => Cmd::Check,
                    "edges" => Cmd::Edges,
                    _ => Cmd::Logs,
                }))),
                "{cmd}: {help}"
            );
            assert!(help.contains("  2  "), "{cmd}");
            assert_eq!(help.contains("  3  "), cmd == "check", "{cmd}");
            assert!(top.contains(&format!("({cmd})")), "{top}");
        }
    }
}
