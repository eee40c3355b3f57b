//! Item 5: the price of build-time generation. A cold `cargo build` of
//! `acquire-api` (progenitor in build.rs) against a crate generated here with
//! the same runtime dependencies, the same locked versions and no build
//! script; alternating, each in a fresh target directory.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use toml::{Table, Value};

use crate::util;

use super::{
    median, paired_median, proc::display_command, report::fmt_ratio, Options, Ratio, Section,
};

const NOGEN: &str = "acquire-api-nogen";
const TIMEOUT: Duration = Duration::from_secs(3600);

struct Times {
    cold: Vec<f64>,
    alone: Vec<f64>,
}

pub fn run(options: &Options) -> Result<Section> {
    let root = util::root();
    let scratch = super::scratch("build");
    util::create_dir(&scratch)?;
    let nogen_dir = scratch.join(NOGEN);
    let deps = write_nogen(&root, &nogen_dir)?;

    // Sources on disk first (untimed), so the timed builds run offline.
    util::run_ok(
        util::cargo().current_dir(&root).args(["fetch", "--locked"]),
        TIMEOUT,
    )?;
    util::run_ok(util::cargo().current_dir(&nogen_dir).arg("fetch"), TIMEOUT)?;
    same_versions(&root.join("Cargo.lock"), &nogen_dir.join("Cargo.lock"))?;

    let api = Kind {
        name: "acquire-api",
        dir: root.clone(),
        build_args: &["build", "--offline", "--locked", "-p", "acquire-api"],
    };
    let nogen = Kind {
        name: NOGEN,
        dir: nogen_dir.clone(),
        build_args: &["build", "--offline", "--locked"],
    };
    let mut api_times = Times {
        cold: Vec::new(),
        alone: Vec::new(),
    };
    let mut nogen_times = Times {
        cold: Vec::new(),
        alone: Vec::new(),
    };
    for round in 0..options.runs {
        let kinds: [(&Kind, &mut Times); 2] = if round.is_multiple_of(2) {
            [(&api, &mut api_times), (&nogen, &mut nogen_times)]
        } else {
            [(&nogen, &mut nogen_times), (&api, &mut api_times)]
        };
        for (kind, times) in kinds {
            let target = scratch.join(format!("target-{}", kind.name));
            let (cold, alone) = kind.measure(&target)?;
            eprintln!(
                "round {}: {}: cold {cold:.1} s, crate alone {alone:.1} s",
                round + 1,
                kind.name
            );
            times.cold.push(cold);
            times.alone.push(alone);
        }
    }

    let (api_cold, nogen_cold) = (median(&api_times.cold), median(&nogen_times.cold));
    let (api_alone, nogen_alone) = (median(&api_times.alone), median(&nogen_times.alone));
    let cold_ratio = paired_median(&api_times.cold, &nogen_times.cold);
    let alone_ratio = paired_median(&api_times.alone, &nogen_times.alone);
    let mut section = Section::new(
        "build",
        5,
        "Cold build of `acquire-api` vs the same dependencies without a build script",
    );
    section.ratios.push(Ratio {
        label: "acquire-api / no-build-script crate, cold debug build".into(),
        ours: format!("{api_cold:.1} s"),
        baseline: format!("{nogen_cold:.1} s"),
        value: cold_ratio,
        target: Some(1.3),
        at_most: true,
    });
    section.ratios.push(Ratio {
        label: "the crate alone, dependencies built (secondary)".into(),
        ours: format!("{api_alone:.1} s"),
        baseline: format!("{nogen_alone:.2} s"),
        value: alone_ratio,
        target: None,
        at_most: true,
    });
    section.line(format!(
        "Debug profile (`cargo build`, what `cargo test` and a first `cargo run` pay), `-j{}` \
         (the default: every core), no `RUSTC_WRAPPER`, each build in a fresh, empty \
         `CARGO_TARGET_DIR`, the two crates alternating. The comparison crate `{NOGEN}` is \
         written at bench time (`target/acquire-bench/build/{NOGEN}`) with acquire-api's runtime \
         `[dependencies]` (features included) and the workspace's `Cargo.lock` (checked: every \
         locked version equal), and a `lib.rs` that re-exports each dependency; no build script, \
         so none of progenitor, openapiv3, syn, prettyplease and serde_yaml as build \
         dependencies, and no generation.",
        super::report_version("nproc", &[])
    ));
    section.line("");
    section.line(
        "\"The crate alone\": in the same target directory, `cargo clean -p <crate>` and build \
         again, so only the crate itself (for acquire-api: compiling and running build.rs, then \
         compiling the generated code) is rebuilt. Ratios are the medians of the rounds' ratios \
         (a round builds both crates back to back).",
    );
    section.line("");
    section.line("| Run | acquire-api cold | no build script, cold | ratio | acquire-api alone | no build script, alone |");
    section.line("| --- | --- | --- | --- | --- | --- |");
    for i in 0..api_times.cold.len() {
        section.line(format!(
            "| {} | {:.1} s | {:.1} s | {}× | {:.1} s | {:.2} s |",
            i + 1,
            api_times.cold[i],
            nogen_times.cold[i],
            fmt_ratio(api_times.cold[i] / nogen_times.cold[i]),
            api_times.alone[i],
            nogen_times.alone[i]
        ));
    }
    section.line(format!(
        "| **median** | **{api_cold:.1} s** | **{nogen_cold:.1} s** | **{}×** | **{api_alone:.1} s** | **{nogen_alone:.2} s** |",
        fmt_ratio(cold_ratio)
    ));
    section.line("");
    section.line(format!(
        "The comparison crate's dependencies: {}.",
        deps.iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    section.line("");
    let mut commands = vec![
        "cargo fetch --locked".to_owned(),
        format!("(cd target/acquire-bench/build/{NOGEN} && cargo fetch)"),
    ];
    for kind in [&api, &nogen] {
        let shown = display_command(&kind.command(Path::new("FRESH")));
        commands.push(format!(
            "(cd {} && env -u RUSTC_WRAPPER CARGO_TARGET_DIR=FRESH {shown})",
            if kind.name == NOGEN {
                format!("target/acquire-bench/build/{NOGEN}")
            } else {
                ".".into()
            }
        ));
    }
    commands.push(
        "# then, same target dir: cargo clean -p <crate> && the same cargo build (\"alone\")"
            .into(),
    );
    section.commands(&commands);
    Ok(section)
}

struct Kind {
    name: &'static str,
    dir: PathBuf,
    build_args: &'static [&'static str],
}

impl Kind {
    fn command(&self, target: &Path) -> Command {
        let mut cmd = util::cargo();
        cmd.current_dir(&self.dir)
            .args(self.build_args)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTC_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
            .env_remove("CARGO_BUILD_JOBS");
        cmd
    }

    /// Seconds for a cold build, then for the crate alone.
    fn measure(&self, target: &Path) -> Result<(f64, f64)> {
        util::fresh_dir(target)?;
        let cold = timed(&mut self.command(target))?;
        util::run_ok(
            util::cargo()
                .current_dir(&self.dir)
                .args(["clean", "--offline", "-p", self.name])
                .env("CARGO_TARGET_DIR", target),
            TIMEOUT,
        )?;
        let alone = timed(&mut self.command(target))?;
        std::fs::remove_dir_all(target)
            .with_context(|| format!("removing {}", target.display()))?;
        Ok((cold, alone))
    }
}

fn timed(cmd: &mut Command) -> Result<f64> {
    let start = Instant::now();
    util::run_ok(cmd, TIMEOUT)?;
    Ok(start.elapsed().as_secs_f64())
}

/// Writes the comparison crate; returns its dependency names.
fn write_nogen(root: &Path, dir: &Path) -> Result<Vec<String>> {
    let workspace: Table = util::read(&root.join("Cargo.toml"))?
        .parse()
        .context("parsing Cargo.toml")?;
    let api: Table = util::read(&root.join("crates/acquire-api/Cargo.toml"))?
        .parse()
        .context("parsing crates/acquire-api/Cargo.toml")?;
    let shared = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(Value::as_table)
        .context("no [workspace.dependencies]")?;
    let own = api
        .get("dependencies")
        .and_then(Value::as_table)
        .context("acquire-api has no [dependencies]")?;
    let mut deps = Table::new();
    for (name, spec) in own {
        deps.insert(name.clone(), resolve(name, spec, shared)?);
    }
    let mut package = Table::new();
    package.insert("name".into(), NOGEN.into());
    package.insert("version".into(), "0.1.0".into());
    package.insert("edition".into(), "2021".into());
    package.insert("publish".into(), false.into());
    let mut manifest = Table::new();
    manifest.insert("package".into(), package.into());
    manifest.insert("dependencies".into(), deps.clone().into());
    // Its own workspace: not a member of ours.
    manifest.insert("workspace".into(), Table::new().into());
    util::fresh_dir(&dir.join("src"))?;
    util::write(
        &dir.join("Cargo.toml"),
        format!(
            "# Written by `cargo xtask bench`: acquire-api's runtime dependencies, no build script.\n{}",
            toml::to_string(&manifest)?
        ),
    )?;
    let mut lib = String::from(
        "//! acquire-api's runtime dependencies, used trivially, without generated code.\n",
    );
    for name in deps.keys() {
        lib.push_str(&format!("pub use {};\n", name.replace('-', "_")));
    }
    util::write(&dir.join("src/lib.rs"), lib)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(deps.keys().cloned().collect())
}

/// A dependency entry with `workspace = true` replaced by the workspace's
/// entry (features added).
fn resolve(name: &str, spec: &Value, shared: &Table) -> Result<Value> {
    let Some(table) = spec.as_table() else {
        return Ok(spec.clone());
    };
    if table.get("workspace").and_then(Value::as_bool) != Some(true) {
        if table.contains_key("path") {
            bail!("dependency {name} is a path dependency");
        }
        return Ok(spec.clone());
    }
    let base = shared
        .get(name)
        .with_context(|| format!("{name} is not in [workspace.dependencies]"))?;
    let mut out = match base {
        Value::String(version) => {
            let mut t = Table::new();
            t.insert("version".into(), version.clone().into());
            t
        }
        Value::Table(t) => t.clone(),
        other => bail!("unexpected workspace entry for {name}: {other}"),
    };
    if out.contains_key("path") {
        bail!("dependency {name} is a path dependency");
    }
    if let Some(extra) = table.get("features").and_then(Value::as_array) {
        let features = out
            .entry("features")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = features {
            list.extend(extra.iter().cloned());
        }
    }
    for key in ["optional", "default-features"] {
        if let Some(v) = table.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    Ok(Value::Table(out))
}

/// Every package of the comparison crate's lock is in the workspace's lock
/// at the same version.
fn same_versions(workspace_lock: &Path, nogen_lock: &Path) -> Result<()> {
    let packages = |path: &Path| -> Result<BTreeSet<(String, String)>> {
        let lock: Table = util::read(path)?
            .parse()
            .with_context(|| format!("parsing {}", path.display()))?;
        Ok(lock
            .get("package")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?.to_owned(),
                    p.get("version")?.as_str()?.to_owned(),
                ))
            })
            .collect())
    };
    let ours = packages(workspace_lock)?;
    let theirs = packages(nogen_lock)?;
    let differ: Vec<String> = theirs
        .iter()
        .filter(|(name, _)| name != NOGEN)
        .filter(|p| !ours.contains(p))
        .map(|(n, v)| format!("{n} {v}"))
        .collect();
    if !differ.is_empty() {
        bail!(
            "the comparison crate resolved versions the workspace does not lock: {}",
            differ.join(", ")
        );
    }
    Ok(())
}

/// What limits this item where its target is missed: the crates compiled
/// only for acquire-api's build script (from `cargo tree`, now).
pub fn miss_note() -> String {
    let build_only = match build_only_crates() {
        Ok(only) => format!(
            "{} crates are compiled for acquire-api and not for the comparison crate: {}.",
            only.len(),
            only.join(", ")
        ),
        Err(e) => format!("(`cargo tree` could not list the build script's crates: {e:#}.)"),
    };
    format!(
        "The price is the build script. {build_only} They compile \
         before acquire-api can start, on the same two cores as the runtime dependencies, and \
         nothing of acquire-api compiles until the generator has run. Then comes the crate itself (\"alone\" above: compiling and running \
         build.rs and compiling the generated client). None of this is in the benchmark's files; \
         what would lower it is in acquire-api: generate the client with `cargo xtask generate` \
         and commit it (checked for staleness in CI, as the JSON bundle is), which removes the \
         build dependencies from every user's build, or trim the generator's dependency \
         features. Absolute times move with the machine's load from round to round (see \
         the table), which is why the ratio is a median of paired ratios."
    )
}

/// Crates (name and version) compiled for acquire-api and not for the
/// comparison crate: its build script's.
fn build_only_crates() -> Result<Vec<String>> {
    let root = util::root();
    let nogen_dir = super::scratch("build").join(NOGEN);
    write_nogen(&root, &nogen_dir)?;
    let tree = |dir: &Path, args: &[&str]| -> Result<BTreeSet<String>> {
        let out = util::run_ok(
            util::cargo()
                .current_dir(dir)
                .args(["tree", "--offline", "-e", "normal,build"])
                .args(["--prefix", "none", "--format", "{p}"])
                .args(args),
            Duration::from_secs(300),
        )?;
        Ok(out
            .stdout
            .lines()
            .map(|l| l.trim_end_matches(" (*)").trim())
            .filter(|l| !l.is_empty())
            .map(|l| l.split(" (").next().unwrap_or(l).to_owned())
            .collect())
    };
    let api = tree(&root, &["--locked", "-p", "acquire-api"])?;
    let nogen = tree(&nogen_dir, &[])?;
    Ok(api
        .difference(&nogen)
        .filter(|p| !p.starts_with("acquire-api "))
        .cloned()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_entries_resolve_with_extra_features() {
        let shared: Table = r#"
            tokio = { version = "1", features = ["macros"] }
            serde_json = "1.0"
        "#
        .parse()
        .unwrap();
        let own: Table = r#"
            tokio = { workspace = true, features = ["rt"] }
            serde_json.workspace = true
            url = "2.5"
        "#
        .parse()
        .unwrap();
        let tokio = resolve("tokio", &own["tokio"], &shared).unwrap();
        assert_eq!(tokio["version"].as_str(), Some("1"));
        let features: Vec<&str> = tokio["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(features, ["macros", "rt"]);
        let json = resolve("serde_json", &own["serde_json"], &shared).unwrap();
        assert_eq!(json["version"].as_str(), Some("1.0"));
        assert_eq!(
            resolve("url", &own["url"], &shared).unwrap().as_str(),
            Some("2.5")
        );
        assert!(resolve("missing", &own["tokio"], &Table::new()).is_err());
    }
}
