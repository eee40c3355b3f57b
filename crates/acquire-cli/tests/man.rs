//! The man pages: one per command, each naming its subcommands' pages, all
//! read from the clap definition (no list of commands here).

use acquire_cli::man;
use clap::CommandFactory;

#[test]
fn every_command_has_a_page_naming_its_subcommands() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pages = man::write(out.path()).unwrap_or_else(|e| panic!("{e}"));
    if let Err(e) = man::check(out.path(), &pages) {
        panic!("{e}");
    }
    // One page per visible command, at every depth, help aside.
    fn count(command: &clap::Command) -> usize {
        1 + command
            .get_subcommands()
            .filter(|sub| !sub.is_hide_set() && sub.get_name() != "help")
            .map(count)
            .sum::<usize>()
    }
    let mut command = acquire_cli::Cli::command().disable_help_subcommand(true);
    command.build();
    assert_eq!(pages.len(), count(&command));
    assert!(out.path().join("acquire-cases-list.1").is_file());
    assert!(!out.path().join("acquire-help.1").exists());
    // A page that does not name a subcommand's page fails the check.
    let top = out.path().join("acquire.1");
    std::fs::write(&top, ".TH acquire 1\n").unwrap_or_else(|e| panic!("{e}"));
    assert!(man::check(out.path(), &pages).is_err());
}
