//! Item 1: per-call overhead of the ergonomic client vs raw reqwest +
//! serde_json, same requests, same fake (its own process), interleaved.

use std::{process::Command, time::Duration};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::util;

use super::{
    fmt_ns, median,
    proc::{self, display_command, API_KEY},
    report::fmt_ratio,
    Options, Ratio, Section,
};

#[derive(Deserialize)]
struct Summary {
    client_ns_per_triple: Vec<f64>,
    raw_ns_per_triple: Vec<f64>,
}

struct Mode {
    label: &'static str,
    concurrency: usize,
    rounds: usize,
    batch: usize,
}

pub fn run(options: &Options) -> Result<Section> {
    let scale = if options.quick { 3 } else { 1 };
    let modes = [
        Mode {
            label: "sequential",
            concurrency: 1,
            rounds: 31 / scale,
            batch: 50 / scale,
        },
        Mode {
            label: "32 concurrent",
            concurrency: 32,
            rounds: 15 / scale,
            batch: 10 / scale,
        },
    ];
    let mut section = Section::new(
        "overhead",
        1,
        "Per-call overhead: the `acquire` client vs raw reqwest + serde_json",
    );
    section.line(
        "One \"triple\" = create a case (`POST /crm/messenger/chat/create`), get it \
         (`GET /crm/objects/case/{id}`), one list page (`GET /crm/objects/case?page=1&limit=20`). \
         The client: `client.cases().create(..).title(..).send()`, `.get(id).send()`, \
         `.list().page(1).limit(20).send()` (default config: retries on, exchange recording, \
         typed decoding). Raw: a reqwest client with the same timeouts and user agent, the same \
         requests, the body decoded as `serde_json::Value`, the status checked. A batch is a side's \
         triples (per task), timed as a whole: the figure is its wall time per triple. Rounds \
         run one batch of each side, alternating which goes first, after a warm-up of both; \
         the figure per side is the median over the rounds, each run here a fresh fake \
         (release `acquire-mock`, its own process) and a fresh program.",
    );
    section.line("");
    section.line("| Mode | Run | rounds × batch | client per triple | raw per triple | ratio |");
    section.line("| --- | --- | --- | --- | --- | --- |");
    let mut commands =
        vec!["cargo build --release --locked -p acquire-bench -p acquire-mock".into()];
    for mode in &modes {
        let mut client_runs = Vec::new();
        let mut raw_runs = Vec::new();
        for run in 0..options.runs {
            let fake = proc::start_fake(&[])?;
            let mut cmd = Command::new(super::release_bin("bench-overhead"));
            cmd.args(["--base-url", &fake.base_url, "--api-key", API_KEY])
                .args(["--rounds", &mode.rounds.to_string()])
                .args(["--batch", &mode.batch.to_string()])
                .args(["--concurrency", &mode.concurrency.to_string()]);
            if run == 0 {
                commands.push(fake.command.clone());
                commands.push(display_command(&cmd).replace(&fake.base_url, "$BASE_URL"));
            }
            let out = util::run_ok(&mut cmd, Duration::from_secs(1800))?;
            drop(fake);
            let summary: Summary = serde_json::from_str(out.stdout.trim())
                .with_context(|| format!("reading bench-overhead's summary: {}", out.stdout))?;
            let (c, r) = (
                median(&summary.client_ns_per_triple),
                median(&summary.raw_ns_per_triple),
            );
            eprintln!(
                "{} run {}: client {} raw {} per triple ({}×)",
                mode.label,
                run + 1,
                fmt_ns(c),
                fmt_ns(r),
                fmt_ratio(c / r)
            );
            section.line(format!(
                "| {} | {} | {} × {} | {} | {} | {}× |",
                mode.label,
                run + 1,
                mode.rounds,
                mode.batch,
                fmt_ns(c),
                fmt_ns(r),
                fmt_ratio(c / r)
            ));
            client_runs.push(c);
            raw_runs.push(r);
        }
        let (c, r) = (median(&client_runs), median(&raw_runs));
        section.line(format!(
            "| **{}** | **median** | | **{}** | **{}** | **{}×** |",
            mode.label,
            fmt_ns(c),
            fmt_ns(r),
            fmt_ratio(c / r)
        ));
        section.ratios.push(Ratio {
            label: format!("client / raw reqwest, {} (per create+get+list)", mode.label),
            ours: fmt_ns(c),
            baseline: fmt_ns(r),
            value: c / r,
            target: Some(1.05),
            at_most: true,
        });
    }
    section.line("");
    section.commands(&commands);
    Ok(section)
}
