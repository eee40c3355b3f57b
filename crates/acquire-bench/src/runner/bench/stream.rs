//! Item 4: 1,000 and 10,000 cases through `client.cases().list().stream()`:
//! throughput, and peak RSS from `/usr/bin/time -v` (the fake runs in its
//! own process, so only the client's memory counts).

use std::{process::Command, time::Duration};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::tools;

use super::{median, paired_median, proc, report::fmt_ratio, Options, Ratio, Section};

const SIZES: [u64; 2] = [1_000, 10_000];
const LIMIT: &str = "100";

#[derive(Deserialize)]
struct Summary {
    cases: u64,
    cases_per_second: f64,
}

pub fn run(options: &Options) -> Result<Section> {
    let time = tools::debian("time", "time")?;
    let runs = options.runs.max(if options.quick { 1 } else { 5 });
    // size -> (peak RSS in KiB, cases/s) per run
    let mut rss: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut speed: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut commands =
        vec!["cargo build --release --locked -p acquire-bench -p acquire-mock".to_owned()];
    for run in 0..runs {
        let order = if run.is_multiple_of(2) {
            [0, 1]
        } else {
            [1, 0]
        };
        for i in order {
            let n = SIZES[i];
            let mut time = Command::new(&time);
            time.arg("-v").arg(super::release_bin("bench-stream"));
            let (summary, stderr): (Summary, _) = proc::run_against_fake(
                &["--no-seed", "--generate-cases", &n.to_string()],
                time,
                &["--expect", &n.to_string(), "--limit", LIMIT],
                Duration::from_secs(600),
                (run == 0).then_some(&mut commands),
            )?;
            if summary.cases != n {
                bail!("streamed {} cases, not {n}", summary.cases);
            }
            let kib = peak_rss_kib(&stderr)?;
            eprintln!(
                "run {}: {n} cases: {:.0} cases/s, peak RSS {kib:.0} KiB",
                run + 1,
                summary.cases_per_second
            );
            rss[i].push(kib);
            speed[i].push(summary.cases_per_second);
        }
    }
    let rss_med = [median(&rss[0]), median(&rss[1])];
    let speed_med = [median(&speed[0]), median(&speed[1])];
    let rss_ratio = paired_median(&rss[1], &rss[0]);
    let mut section = Section::new(
        "stream",
        4,
        "Streaming 1,000 and 10,000 cases through the pagination stream",
    );
    section.mode = format!("{runs} runs per size");
    section.ratios.push(Ratio {
        label: "peak RSS, 10,000 / 1,000 cases streamed".into(),
        ours: format!("{:.1} MiB", rss_med[1] / 1024.0),
        baseline: format!("{:.1} MiB", rss_med[0] / 1024.0),
        value: rss_ratio,
        target: Some(1.2),
        at_most: true,
    });
    section.ratios.push(Ratio {
        label: "throughput, 10,000 / 1,000 cases (cases/s)".into(),
        ours: format!("{:.0} cases/s", speed_med[1]),
        baseline: format!("{:.0} cases/s", speed_med[0]),
        value: speed_med[1] / speed_med[0],
        target: None,
        at_most: false,
    });
    section.line(format!(
        "`client.cases().list().limit({LIMIT}).stream()` drained with `try_next`, counting the \
         cases (the program fails unless it sees exactly N); the fake is started with \
         `--no-seed --generate-cases N` in its own process, so its memory is not counted. Peak \
         RSS is `/usr/bin/time -v`'s \"Maximum resident set size\" of the streaming program; \
         throughput is cases over the stream's wall time (the first request to the end, \
         including the fake's work on the same cores). Sizes alternate; {runs} runs each."
    ));
    section.line("");
    section.line("| Run | 1,000: cases/s | 1,000: peak RSS | 10,000: cases/s | 10,000: peak RSS | RSS ratio |");
    section.line("| --- | --- | --- | --- | --- | --- |");
    for i in 0..runs {
        section.line(format!(
            "| {} | {:.0} | {:.0} KiB | {:.0} | {:.0} KiB | {}× |",
            i + 1,
            speed[0][i],
            rss[0][i],
            speed[1][i],
            rss[1][i],
            fmt_ratio(rss[1][i] / rss[0][i])
        ));
    }
    section.line(format!(
        "| **median** | **{:.0}** | **{:.0} KiB** | **{:.0}** | **{:.0} KiB** | **{}×** |",
        speed_med[0],
        rss_med[0],
        speed_med[1],
        rss_med[1],
        fmt_ratio(rss_ratio)
    ));
    section.line("");
    section.commands(&commands);
    Ok(section)
}

fn peak_rss_kib(stderr: &str) -> Result<f64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
        .context("no \"Maximum resident set size\" in /usr/bin/time -v's output")
}

#[cfg(test)]
mod tests {
    use super::peak_rss_kib;

    #[test]
    fn reads_time_v() {
        let text = "\tCommand being timed: \"x\"\n\tMaximum resident set size (kbytes): 7660\n";
        assert_eq!(peak_rss_kib(text).unwrap(), 7660.0);
        assert!(peak_rss_kib("nothing").is_err());
    }
}
