//! Item 3: the fake server vs Prism mocking the same spec: one read
//! endpoint, the same `wrk -t2 -c16 -d10s`, interleaved rounds.

use std::{process::Command, time::Duration};

use anyhow::{bail, Context, Result};

use acquire_api::Operation;

use crate::{tools, util};

use super::{
    median, paired_median,
    proc::{self, API_KEY},
    report::fmt_ratio,
    Options, Ratio, Section,
};

/// A case of the fake's seed data (the documented examples' first case).
const CASE_ID: u64 = 1681;
/// The operation both servers answer.
const OPERATION: &str = "get_case";
/// The wrk settings, fixed by the comparison's definition.
const WRK_ARGS: &[&str] = &["-t2", "-c16", "-d10s", "--latency"];
const WARM_UP_ARGS: &[&str] = &["-t2", "-c16", "-d2s"];

/// What one wrk run reported.
#[derive(Debug, PartialEq)]
struct WrkRun {
    requests_per_sec: f64,
    requests: u64,
    p50: String,
    p99: String,
    non_2xx: u64,
    socket_errors: u64,
}

pub fn run(options: &Options) -> Result<Section> {
    let wrk = tools::debian("wrk", "wrk")?;
    let node = tools::node()?;
    let scratch = super::scratch("prism");
    util::create_dir(&scratch)?;
    // Prism does not read `externalValue` files: it gets the committed bundle,
    // whose examples are inlined (`cargo xtask generate --check` keeps it fresh).
    let spec_json = util::root().join(util::SPEC_JSON);
    let op = Operation::find(OPERATION).context("no get_case operation")?;
    let path = op
        .path_with(&[("caseId", &CASE_ID)])
        .context("get_case's path has another parameter")?;
    let node_version = super::report_version("node", &["--version"]);
    let prism_version = super::report_version(
        &node.command("prism").get_program().to_string_lossy(),
        &["--version"],
    );

    let (fake, fake_command) = proc::start_fake(&[])?;
    let fake_url = format!("{}{path}", fake.base_url);
    let port = proc::free_port()?;
    let prism_url = format!("http://127.0.0.1:{port}{path}");
    let prism_cmd = || {
        let mut cmd = node.command("prism");
        cmd.args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(&spec_json);
        cmd
    };
    let prism = proc::start_logged(
        prism_cmd(),
        &prism_url,
        &scratch.join("prism.log"),
        Duration::from_secs(120),
    )?;

    let auth = format!("Bearer {API_KEY}");
    let header = format!("Authorization: {auth}");
    for (name, url) in [("fake", &fake_url), ("Prism", &prism_url)] {
        let (status, body) = proc::http_get(url, &[("Authorization", &auth)])?;
        if !(200..300).contains(&status) {
            bail!("{name} answers {status} to GET {url}, not 2xx: {body}");
        }
        if !body.contains("\"id\"") {
            bail!("{name} answers GET {url} without a case: {body}");
        }
        eprintln!("{name}: GET {url} -> {status}");
    }
    let (status, _) = proc::http_get(&fake_url, &[])?;
    if status != 401 {
        bail!("the fake answers {status} without a key, not 401: it is not checking auth");
    }

    let wrk_cmd = |args: &[&str], url: &str| {
        let mut cmd = Command::new(&wrk);
        cmd.args(args).args(["-H", &header, url]);
        cmd
    };
    for url in [&fake_url, &prism_url] {
        run_wrk(wrk_cmd(WARM_UP_ARGS, url))?;
    }
    let mut fake_runs = Vec::new();
    let mut prism_runs = Vec::new();
    for round in 0..options.runs {
        let order: [(&str, &String); 2] = if round.is_multiple_of(2) {
            [("fake", &fake_url), ("prism", &prism_url)]
        } else {
            [("prism", &prism_url), ("fake", &fake_url)]
        };
        for (name, url) in order {
            let result = run_wrk(wrk_cmd(WRK_ARGS, url))?;
            eprintln!(
                "round {}: {name}: {:.0} requests/s",
                round + 1,
                result.requests_per_sec
            );
            if name == "fake" {
                fake_runs.push(result);
            } else {
                prism_runs.push(result);
            }
        }
    }
    let rps = |runs: &[WrkRun]| runs.iter().map(|r| r.requests_per_sec).collect::<Vec<_>>();
    let (fake_rps, prism_rps) = (median(&rps(&fake_runs)), median(&rps(&prism_runs)));
    // Each round's two runs are the only figures taken at the same load.
    let ratio = paired_median(&rps(&fake_runs), &rps(&prism_runs));

    let mut section = Section::new(
        "prism",
        3,
        "The fake server vs Prism 5.16 mocking the same spec",
    );
    section.ratios.push(Ratio {
        label: "fake / Prism, requests/s".into(),
        ours: format!("{fake_rps:.0} req/s"),
        baseline: format!("{prism_rps:.0} req/s"),
        value: ratio,
        target: Some(20.0),
        at_most: false,
    });
    section.line(format!(
        "`{} {path}` with the bearer header, on both servers (the fake under \
         `/api/v1`, Prism at the root, as it ignores `servers`); both answered 200 with a case \
         before the runs, and the fake answered 401 without the key. `wrk {}` per run, fake and \
         Prism alternating (the first of each round alternates too), after a 2 s warm-up of each. \
         Every run had 0 non-2xx responses and 0 socket errors (a run with any is refused). \
         The ratio is the median of the rounds' ratios; the requests/s, medians over the rounds.",
        op.method,
        WRK_ARGS.join(" ")
    ));
    section.line("");
    section.line("| Run | fake req/s | fake p50 / p99 | Prism req/s | Prism p50 / p99 | ratio |");
    section.line("| --- | --- | --- | --- | --- | --- |");
    for (i, (f, p)) in fake_runs.iter().zip(&prism_runs).enumerate() {
        section.line(format!(
            "| {} | {:.0} | {} / {} | {:.0} | {} / {} | {}× |",
            i + 1,
            f.requests_per_sec,
            f.p50,
            f.p99,
            p.requests_per_sec,
            p.p50,
            p.p99,
            fmt_ratio(f.requests_per_sec / p.requests_per_sec)
        ));
    }
    section.line(format!(
        "| **median** | **{fake_rps:.0}** | | **{prism_rps:.0}** | | **{}×** |",
        fmt_ratio(ratio)
    ));
    section.line("");
    section.line(format!(
        "Prism {prism_version} (pinned in `xtask/tools/package.json`) on Node {node_version}; \
         it mocks statically, answering with the operation's documented example, and logs \
         every request (to a file here). Prism declares Node >= 24 but runs on Debian's Node 20. \
         The fake validates the bearer key, the path and the query against the spec, reads \
         the case from its store and validates its own response against the schema."
    ));
    section.line("");
    section.commands(&[
        "cargo build --release --locked -p acquire-bench -p acquire-mock".into(),
        fake_command,
        format!(
            "{} # spec: the committed bundle (`cargo xtask generate`), examples inlined",
            proc::display_command(&prism_cmd())
        ),
        format!("wrk {} -H '{header}' {fake_url}", WRK_ARGS.join(" ")),
        format!("wrk {} -H '{header}' {prism_url}", WRK_ARGS.join(" ")),
    ]);
    drop(prism);
    drop(fake);
    Ok(section)
}

fn run_wrk(mut cmd: Command) -> Result<WrkRun> {
    let out = util::run_ok(&mut cmd, Duration::from_secs(120))?;
    let run =
        parse_wrk(&out.stdout).with_context(|| format!("reading wrk's output:\n{}", out.stdout))?;
    if run.non_2xx > 0 || run.socket_errors > 0 {
        bail!(
            "refusing a run with errors ({} non-2xx/3xx responses, {} socket errors):\n{}",
            run.non_2xx,
            run.socket_errors,
            out.stdout
        );
    }
    if run.requests == 0 {
        bail!("wrk made no request:\n{}", out.stdout);
    }
    Ok(run)
}

fn parse_wrk(text: &str) -> Result<WrkRun> {
    let mut run = WrkRun {
        requests_per_sec: f64::NAN,
        requests: 0,
        p50: "?".into(),
        p99: "?".into(),
        non_2xx: 0,
        socket_errors: 0,
    };
    for line in text.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("Requests/sec:") {
            run.requests_per_sec = v.trim().parse().context("Requests/sec")?;
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            run.non_2xx = v.trim().parse().context("Non-2xx")?;
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            for part in v.split(',') {
                let n = part
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse::<u64>().ok())
                    .context("Socket errors")?;
                run.socket_errors += n;
            }
        } else if let Some(v) = line.strip_prefix("50%") {
            run.p50 = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("99%") {
            run.p99 = v.trim().to_owned();
        } else if line.contains(" requests in ") {
            run.requests = line
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .context("N requests in")?;
        }
    }
    if run.requests_per_sec.is_nan() {
        bail!("no Requests/sec line");
    }
    Ok(run)
}

/// What limits this item where its target is missed (shown under the
/// section when a ratio misses, so a rewrite from the embedded data keeps it).
pub const MISS_NOTE: &str = "The machine has two cores, shared by wrk's two threads, \
             the server under test and whatever else runs; Prism, single-threaded, leaves a core \
             to wrk, the fake competes with wrk for both. A profile of the release fake under \
             the same wrk load (`perf record -p`) puts about 40 % of its samples in the kernel \
             (loopback TCP, wake-ups, context switches) and about 15 % in malloc/free; of the \
             fake's own work, cloning the stored case row for each answer (`BTreeMap::clone`, \
             about 2 %) and serializing the JSON stand out, while routing, auth and request \
             validation are each below 1 %. What would lift it is in acquire-mock, not in the \
             benchmark: answer reads from shared (`Arc`) or pre-serialized rows instead of \
             cloning them, and allocate less per response (or use a faster allocator in the \
             binary). The fake runs on every core and Prism on one, so a machine with more \
             cores than wrk needs should favour the fake; that is not measured here.";

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "Running 10s test @ http://127.0.0.1:4010/crm/objects/case/1681
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms  300.00us   9.00ms   90.00%
    Req/Sec     6.50k   400.00    7.00k    70.00%
  Latency Distribution
     50%    1.10ms
     75%    1.30ms
     90%    1.50ms
     99%    2.90ms
  129000 requests in 10.00s, 90.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:  12900.12
Transfer/sec:      9.00MB
";

    #[test]
    fn reads_wrk_output() {
        let run = parse_wrk(OUTPUT).unwrap();
        assert_eq!(
            run,
            WrkRun {
                requests_per_sec: 12900.12,
                requests: 129000,
                p50: "1.10ms".into(),
                p99: "2.90ms".into(),
                non_2xx: 7,
                socket_errors: 3,
            }
        );
        assert!(parse_wrk("nothing").is_err());
    }
}
