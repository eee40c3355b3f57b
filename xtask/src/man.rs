//! `cargo xtask man`: the man pages of the `acquire` command, rendered by
//! clap_mangen from the command's own clap definition
//! (`acquire_cli::Cli`): `acquire.1`, and one page per subcommand
//! (`acquire-cases.1`, `acquire-cases-list.1`...), in `target/man` unless
//! `--out DIR` says otherwise.
//!
//! Rendering needs the command, hence the client under it; the `man`
//! feature brings them in, so the other tasks never build them. Without
//! the feature this task runs itself again with it.

use std::path::PathBuf;

use anyhow::Result;

use xtask::util;

/// Writes the man pages into `out` (default: `target/man`).
pub fn run(out: Option<PathBuf>) -> Result<()> {
    let out = match out {
        Some(dir) => std::path::absolute(dir)?,
        None => util::target_dir().join("man"),
    };
    write(out)
}

/// Runs `cargo xtask man --out DIR` again with the `man` feature.
#[cfg(not(feature = "man"))]
fn write(out: PathBuf) -> Result<()> {
    use anyhow::Context;

    let mut cmd = util::cargo();
    cmd.current_dir(util::root())
        .args(["run", "--locked", "-q", "-p", "xtask", "--features", "man"])
        .args(["--", "man", "--out"])
        .arg(&out);
    eprintln!("  $ {}", util::show(&cmd));
    let status = cmd.status().context("starting cargo")?;
    anyhow::ensure!(status.success(), "xtask man failed ({status})");
    Ok(())
}

/// Renders every page into `out`, then checks that each page of a command
/// with subcommands names each of them.
#[cfg(feature = "man")]
fn write(out: PathBuf) -> Result<()> {
    let pages = pages::write(&out)?;
    pages::check(&out, &pages)?;
    eprintln!(
        "  wrote {} man pages to {} (man -l {})",
        pages.len(),
        util::rel(&out),
        util::rel(&out.join("acquire.1"))
    );
    Ok(())
}

#[cfg(feature = "man")]
mod pages {
    use std::path::Path;

    use anyhow::{Context, Result};
    use clap::CommandFactory;

    use xtask::util;

    /// One page written: its file name and the file names of its
    /// subcommands' pages.
    #[derive(Debug)]
    pub struct Page {
        pub file: String,
        pub subcommands: Vec<String>,
    }

    /// Writes a page for `acquire` and each of its subcommands, at every
    /// depth (hidden ones and clap's `help` subcommand aside).
    pub fn write(out: &Path) -> Result<Vec<Page>> {
        util::create_dir(out)?;
        let mut command = acquire_cli::Cli::command().disable_help_subcommand(true);
        command.build();
        let mut pages = Vec::new();
        render(&command, out, &mut pages)?;
        Ok(pages)
    }

    fn render(command: &clap::Command, out: &Path, pages: &mut Vec<Page>) -> Result<()> {
        let man = clap_mangen::Man::new(command.clone());
        let path = man
            .generate_to(out)
            .with_context(|| format!("writing {}", man.get_filename()))?;
        let visible: Vec<&clap::Command> = command
            .get_subcommands()
            .filter(|sub| !sub.is_hide_set())
            .collect();
        pages.push(Page {
            file: file_name(&path),
            subcommands: visible
                .iter()
                .map(|sub| clap_mangen::Man::new((*sub).clone()).get_filename())
                .collect(),
        });
        for sub in visible {
            render(sub, out, pages)?;
        }
        Ok(())
    }

    fn file_name(path: &Path) -> String {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// Every page exists and names each of its subcommands' pages
    /// (`acquire-cases(1)`), roff's `\-` read as `-`.
    pub fn check(out: &Path, pages: &[Page]) -> Result<()> {
        anyhow::ensure!(
            pages.first().is_some_and(|p| p.file == "acquire.1"),
            "the first page is not acquire.1: {pages:?}"
        );
        for page in pages {
            let text = util::read(&out.join(&page.file))?.replace("\\-", "-");
            for sub in &page.subcommands {
                let reference = match sub.rsplit_once('.') {
                    Some((name, section)) => format!("{name}({section})"),
                    None => sub.clone(),
                };
                anyhow::ensure!(
                    text.contains(&reference),
                    "{} does not name {reference}",
                    page.file
                );
                anyhow::ensure!(out.join(sub).is_file(), "{sub} was not written");
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_pages_name_every_subcommand() {
            let out = util::scratch_dir().join("man-test");
            let _ = std::fs::remove_dir_all(&out);
            let pages = write(&out).unwrap_or_else(|e| panic!("{e:#}"));
            check(&out, &pages).unwrap_or_else(|e| panic!("{e:#}"));
            let top = util::read(&out.join("acquire.1"))
                .unwrap_or_else(|e| panic!("{e:#}"))
                .replace("\\-", "-");
            for name in [
                "cases",
                "messages",
                "notes",
                "snooze",
                "demo",
                "completions",
            ] {
                assert!(top.contains(&format!("acquire-{name}(1)")), "{name}");
            }
            assert!(out.join("acquire-cases-list.1").is_file());
            assert!(!out.join("acquire-help.1").exists());
        }
    }
}
