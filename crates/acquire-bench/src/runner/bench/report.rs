//! The report: BENCHMARKS.md (machine, summary, chart, one section per item)
//! with its data embedded, so `BENCH_ONLY` runs keep the other sections.

use std::{fmt::Write as _, path::Path, process::Command, time::Duration};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::util::{self, capture};

use super::chart;

/// Opens the embedded data block (an HTML comment, invisible when rendered).
const DATA_OPEN: &str = "<!-- bench-data";
const DATA_CLOSE: &str = "-->";
/// The chart, next to the report.
pub const CHART_FILE: &str = "benchmarks.svg";

/// One ratio with its target.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ratio {
    /// What is compared (`client / raw, sequential`).
    pub label: String,
    /// Our figure, formatted.
    pub ours: String,
    /// The baseline's figure, formatted.
    pub baseline: String,
    /// ours / baseline, in the direction the target states.
    pub value: f64,
    /// The target, when there is one.
    pub target: Option<f64>,
    /// `true`: the ratio passes at or below the target; `false`: at or above.
    pub at_most: bool,
}

impl Ratio {
    /// Whether the target is met (`None` without a target).
    pub fn pass(&self) -> Option<bool> {
        let target = self.target?;
        Some(if self.at_most {
            self.value <= target
        } else {
            self.value >= target
        })
    }

    /// `≤ 1.05×` / `≥ 20×` / `—`.
    pub fn target_text(&self) -> String {
        match self.target {
            Some(t) => format!("{} {}×", if self.at_most { "≤" } else { "≥" }, fmt_ratio(t)),
            None => "—".into(),
        }
    }

    /// `pass` / `**miss**` / `(no target)`.
    pub fn verdict(&self) -> &'static str {
        match self.pass() {
            Some(true) => "pass",
            Some(false) => "**miss**",
            None => "(reported)",
        }
    }

    /// One line for the terminal.
    pub fn describe(&self) -> String {
        format!(
            "{}: {} vs {} = {}× (target {}: {})",
            self.label,
            self.ours,
            self.baseline,
            fmt_ratio(self.value),
            self.target_text(),
            self.verdict().trim_matches('*')
        )
    }
}

/// A ratio with 2 significant decimals below 10, 1 above.
pub fn fmt_ratio(value: f64) -> String {
    if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// One item's results.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section {
    /// `decode`.
    pub key: String,
    /// Its number in the report.
    pub number: u8,
    /// Its heading.
    pub title: String,
    /// When it ran (UTC).
    #[serde(default)]
    pub date: String,
    /// Runs per figure, quick or not.
    #[serde(default)]
    pub mode: String,
    /// Its ratios, for the summary and the chart.
    pub ratios: Vec<Ratio>,
    /// Markdown: the figures of every run, the exact commands, notes.
    pub body: String,
}

impl Section {
    /// An empty section.
    pub fn new(key: &str, number: u8, title: &str) -> Self {
        Self {
            key: key.into(),
            number,
            title: title.into(),
            date: String::new(),
            mode: String::new(),
            ratios: Vec::new(),
            body: String::new(),
        }
    }

    /// Appends a markdown line.
    pub fn line(&mut self, text: impl AsRef<str>) {
        self.body.push_str(text.as_ref());
        self.body.push('\n');
    }

    /// Appends the exact commands as a shell block.
    pub fn commands(&mut self, commands: &[String]) {
        self.line("Commands, exactly as run:");
        self.line("");
        self.line("```sh");
        for command in commands {
            self.line(command);
        }
        self.line("```");
        self.line("");
    }
}

/// What the figures were measured on.
#[derive(Clone, Debug)]
pub struct Machine {
    /// UTC date and time of this run.
    pub date: String,
    /// `key: value` lines for the report.
    pub facts: Vec<(String, String)>,
}

impl Machine {
    /// Reads /proc and asks the toolchain.
    pub fn probe() -> Result<Self> {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map(|kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0))
            .unwrap_or_else(|| "unknown".into());
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|_| "unknown".into());
        let load = load_average();
        let ask = |program: &str, args: &[&str]| -> String {
            capture(Command::new(program).args(args), Duration::from_secs(60))
                .ok()
                .filter(|out| out.status.success())
                .map(|out| out.stdout.trim().to_owned())
                .unwrap_or_else(|| "unknown".into())
        };
        let date = ask("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
        let facts = vec![
            ("CPU".into(), cpu),
            ("Cores (nproc)".into(), ask("nproc", &[])),
            ("Memory".into(), memory),
            ("Kernel".into(), kernel),
            (
                "Load average when this file was written (1, 5, 15 min)".into(),
                load,
            ),
            ("rustc".into(), ask("rustc", &["-V"])),
            (
                "cargo".into(),
                ask(&util::cargo().get_program().to_string_lossy(), &["-V"]),
            ),
            ("Written".into(), date.clone()),
        ];
        Ok(Self { date, facts })
    }
}

/// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The sections embedded in an existing report (none when it is missing).
pub fn read_sections(path: &Path) -> Result<Vec<Section>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    let Some(start) = text.find(DATA_OPEN) else {
        return Ok(Vec::new());
    };
    let rest = &text[start + DATA_OPEN.len()..];
    let end = rest
        .find(DATA_CLOSE)
        .with_context(|| format!("{}: unterminated bench-data block", path.display()))?;
    serde_json::from_str(rest[..end].trim())
        .with_context(|| format!("{}: reading the embedded bench-data", path.display()))
}

/// Writes the report and the chart.
pub fn write(path: &Path, machine: &Machine, sections: &[Section]) -> Result<()> {
    let mut md = String::new();
    md.push_str("# Benchmarks\n\n");
    md.push_str(
        "Written by `cargo xtask bench` (do not edit by hand: rerun it). The machine is \
         shared and noisy, so every figure is a median of several runs, and the two sides \
         of every ratio are measured alternately in the same invocation. Ratios are what \
         to read; absolute figures move with the machine's load.\n\n",
    );
    md.push_str("## Machine\n\n| | |\n| --- | --- |\n");
    for (key, value) in &machine.facts {
        let _ = writeln!(md, "| {key} | {value} |");
    }
    md.push_str(
        "\nThe machine's two cores are shared with other work (builds, tests, fuzzing) \
         that this run does not control: each section gives the load average when it ended, \
         and a section kept from an earlier run (`BENCH_ONLY`) may have run at another load.\n\n",
    );

    md.push_str("## Summary\n\n");
    md.push_str("| # | Ratio | Ours | Baseline | Ratio | Target | Result |\n");
    md.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for section in sections {
        for ratio in &section.ratios {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {}× | {} | {} |",
                section.number,
                ratio.label,
                ratio.ours,
                ratio.baseline,
                fmt_ratio(ratio.value),
                ratio.target_text(),
                ratio.verdict()
            );
        }
    }
    let measured: Vec<u8> = sections.iter().map(|s| s.number).collect();
    let missing: Vec<String> = (1..=5u8)
        .filter(|n| !measured.contains(n))
        .map(|n| n.to_string())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            md,
            "\nNot measured in this report: item(s) {} (see the end of this file).",
            missing.join(", ")
        );
    }
    let _ = writeln!(
        md,
        "\n![Each ratio against its target, log scale]({CHART_FILE})\n"
    );

    md.push_str("## Running it\n\n```sh\n");
    md.push_str("cargo xtask bench                        # everything (about 30 minutes)\n");
    md.push_str("BENCH_QUICK=1 cargo xtask bench          # one run per figure, to try it\n");
    md.push_str("BENCH_ONLY=decode,prism cargo xtask bench  # some items (names or numbers 1-5)\n");
    md.push_str("BENCH_RUNS=5 cargo xtask bench           # more runs per figure\n```\n\n");
    md.push_str(
        "It builds the benchmark programs (`crates/acquire-bench`) and the fake server \
         (`acquire-mock`) in release mode, installs what is missing (Debian's `wrk` and \
         `time` with apt-get, Prism with the other pinned Node tools in `.cache/tools`), \
         and rewrites this file and the chart. No benchmark runs in `cargo test`.\n\n",
    );

    for section in sections {
        let _ = writeln!(md, "## {}. {}\n", section.number, section.title);
        let _ = writeln!(md, "_Measured {}, {}._\n", section.date, section.mode);
        md.push_str(&super::proc::plain_cargo(&section.body));
        if !section.body.ends_with("\n\n") {
            md.push('\n');
        }
        if section.ratios.iter().any(|r| r.pass() == Some(false)) {
            let note = match section.key.as_str() {
                "overhead" => super::overhead::MISS_NOTE.to_owned(),
                "decode" => super::decode::MISS_NOTE.to_owned(),
                "prism" => super::prism::MISS_NOTE.to_owned(),
                "build" => super::build::miss_note(),
                _ => String::new(),
            };
            if !note.is_empty() {
                let _ = writeln!(md, "**What limits it.** {note}\n");
            }
        }
    }
    if !missing.is_empty() {
        md.push_str("## Not measured\n\n");
        for n in &missing {
            let _ = writeln!(md, "- Item {n}: {}", not_measured_reason(n));
        }
        md.push('\n');
    }

    let data = serde_json::to_string_pretty(sections)?.replace("-->", "--\\u003e");
    let _ = writeln!(md, "{DATA_OPEN}\n{data}\n{DATA_CLOSE}");
    util::write(path, md)?;
    let chart_path = path.with_file_name(CHART_FILE);
    chart::draw(&chart_path, sections).with_context(|| format!("drawing {}", chart_path.display()))
}

fn not_measured_reason(number: &str) -> &'static str {
    match number {
        "1" => "client overhead (`BENCH_ONLY=overhead`) has not been run into this report.",
        "2" => "decoding (`BENCH_ONLY=decode`) has not been run into this report.",
        "3" => "fake vs Prism (`BENCH_ONLY=prism`) has not been run into this report.",
        "4" => "pagination stream (`BENCH_ONLY=stream`) has not been run into this report.",
        _ => "build time (`BENCH_ONLY=build`) has not been run into this report.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section() -> Section {
        let mut s = Section::new("decode", 2, "Decoding --> things");
        s.ratios.push(Ratio {
            label: "typed / Value".into(),
            ours: "1 µs".into(),
            baseline: "2 µs".into(),
            value: 0.5,
            target: Some(1.0),
            at_most: true,
        });
        s.line("body with --> inside");
        s
    }

    #[test]
    fn ratios_pass_in_their_direction() {
        let mut r = section().ratios.remove(0);
        assert_eq!(r.pass(), Some(true));
        r.value = 1.5;
        assert_eq!(r.pass(), Some(false));
        r.at_most = false;
        assert_eq!(r.pass(), Some(true));
        r.target = None;
        assert_eq!(r.pass(), None);
    }

    #[test]
    fn embedded_data_round_trips() {
        let dir = super::super::scratch("report-test");
        crate::util::fresh_dir(&dir).unwrap();
        let path = dir.join("BENCHMARKS.md");
        let machine = Machine {
            date: "2026-01-01 00:00 UTC".into(),
            facts: vec![("CPU".into(), "test".into())],
        };
        write(&path, &machine, &[section()]).unwrap();
        let back = read_sections(&path).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].title, "Decoding --> things");
        assert_eq!(back[0].ratios[0].value, 0.5);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("| 2 | typed / Value | 1 µs | 2 µs | 0.50× | ≤ 1.00× | pass |"));
        assert!(dir.join(CHART_FILE).exists());
    }
}
