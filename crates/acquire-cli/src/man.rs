//! The man pages of the `acquire` command, rendered by clap_mangen from its
//! own clap definition ([`Cli`](crate::Cli)): `acquire.1`, and one page per
//! subcommand at every depth (`acquire-cases.1`, `acquire-cases-list.1`...).
//! `cargo xtask man` writes them.

use std::{
    fs, io,
    path::{Path, PathBuf},
};

use clap::CommandFactory;

/// One page written: its file name and the file names of its visible
/// subcommands' pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The page's file name (`acquire-cases.1`).
    pub file: String,
    /// The file names of the pages of its subcommands.
    pub subcommands: Vec<String>,
}

/// Writes a page for `acquire` and each of its subcommands into `out`
/// (created if missing); hidden subcommands and clap's `help` have none.
/// Returns the pages, `acquire.1` first.
pub fn write(out: &Path) -> io::Result<Vec<Page>> {
    fs::create_dir_all(out)?;
    let mut command = crate::Cli::command().disable_help_subcommand(true);
    command.build();
    let mut pages = Vec::new();
    render(&command, out, &mut pages)?;
    Ok(pages)
}

fn render(command: &clap::Command, out: &Path, pages: &mut Vec<Page>) -> io::Result<()> {
    let man = clap_mangen::Man::new(command.clone());
    let path: PathBuf = man.generate_to(out)?;
    let visible: Vec<&clap::Command> = command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .collect();
    pages.push(Page {
        file: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
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

/// Checks the pages written into `out`: `acquire.1` comes first, and every
/// page exists and names each of its subcommands' pages (`acquire-cases(1)`,
/// roff's `\-` read as `-`). The error says which page lacks what.
pub fn check(out: &Path, pages: &[Page]) -> Result<(), String> {
    if pages.first().is_none_or(|p| p.file != "acquire.1") {
        return Err(format!("the first page is not acquire.1: {pages:?}"));
    }
    for page in pages {
        let path = out.join(&page.file);
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .replace("\\-", "-");
        for sub in &page.subcommands {
            let reference = match sub.rsplit_once('.') {
                Some((name, section)) => format!("{name}({section})"),
                None => sub.clone(),
            };
            if !text.contains(&reference) {
                return Err(format!("{} does not name {reference}", page.file));
            }
            if !out.join(sub).is_file() {
                return Err(format!("{sub} was not written"));
            }
        }
    }
    Ok(())
}
