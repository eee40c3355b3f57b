//! `acquire completions SHELL`: every subcommand and every flag of the clap
//! definition (read from `acquire_cli::Cli` itself, so a new flag or
//! subcommand is checked without editing this test) is in the script of
//! every shell, where that shell completes it.

mod common;

use acquire_cli::Cli;
use clap::CommandFactory;
use common::acquire;

/// One (sub)command of the definition: its path from `acquire`, its long
/// flags (global ones included) and its subcommands.
#[derive(Debug)]
struct Node {
    path: Vec<String>,
    flags: Vec<String>,
    subcommands: Vec<String>,
}

/// Every command of the definition, as clap builds it (with `--help`,
/// `--version`, the `help` subcommand and global flags propagated).
fn nodes() -> Vec<Node> {
    fn walk(command: &clap::Command, path: Vec<String>, out: &mut Vec<Node>) {
        out.push(Node {
            path: path.clone(),
            flags: command
                .get_arguments()
                .filter(|arg| !arg.is_hide_set())
                .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
                .collect(),
            subcommands: command
                .get_subcommands()
                .map(|sub| sub.get_name().to_owned())
                .collect(),
        });
        for sub in command.get_subcommands() {
            let mut path = path.clone();
            path.push(sub.get_name().to_owned());
            walk(sub, path, out);
        }
    }
    let mut command = Cli::command();
    command.build();
    let mut out = Vec::new();
    walk(&command, vec![command.get_name().to_owned()], &mut out);
    out
}

/// The script `acquire completions shell` prints.
#[track_caller]
fn script(shell: &str) -> String {
    let run = acquire(&["completions", shell], &[]);
    assert_eq!(run.stderr, "", "{shell}");
    run.ok().to_owned()
}

/// The lines of `script` from the one that is `start` to the first one
/// after it that is `end` (both trimmed).
#[track_caller]
fn block<'a>(script: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = script.lines().collect();
    let Some(first) = lines.iter().position(|l| l.trim() == start) else {
        panic!("no {start:?} in the script");
    };
    lines[first..]
        .iter()
        .take_while(|l| l.trim() != end)
        .copied()
        .collect()
}

#[test]
fn the_definition_has_what_the_readme_documents() {
    let nodes = nodes();
    let top = &nodes[0];
    for name in [
        "cases",
        "messages",
        "notes",
        "snooze",
        "demo",
        "completions",
    ] {
        assert!(top.subcommands.iter().any(|s| s == name), "{name}");
    }
    assert!(top.flags.iter().any(|f| f == "--output"));
    assert!(nodes.len() > 30, "{}", nodes.len());
}

/// The bash function case of each command: the script's own mapping from
/// a parent's case and a subcommand name (`acquire,cases)` then
/// `cmd="acquire__subcmd__cases"`).
fn bash_cases(script: &str, nodes: &[Node]) -> Vec<String> {
    let lines: Vec<&str> = script.lines().map(str::trim).collect();
    let mut cases: Vec<String> = Vec::new();
    for node in nodes {
        let Some((name, parent)) = node.path.split_last() else {
            panic!("an empty path");
        };
        if parent.is_empty() {
            cases.push(name.clone());
            continue;
        }
        let parent_case = nodes
            .iter()
            .position(|n| n.path == parent)
            .map(|i| cases[i].clone())
            .unwrap_or_else(|| panic!("{parent:?} comes before {name}"));
        let dispatch = format!("{parent_case},{name})");
        let Some(at) = lines.iter().position(|l| *l == dispatch) else {
            panic!("no {dispatch:?} in the bash script");
        };
        let cmd = lines[at + 1]
            .strip_prefix("cmd=\"")
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or_else(|| panic!("{dispatch}: {}", lines[at + 1]));
        cases.push(cmd.to_owned());
    }
    cases
}

#[test]
fn bash_completes_each_commands_own_flags_and_subcommands() {
    let script = script("bash");
    let nodes = nodes();
    for (node, case) in nodes.iter().zip(bash_cases(&script, &nodes)) {
        let start = format!("{case})");
        let block = block(&script, &start, ";;");
        let Some(opts) = block.iter().find(|l| l.trim_start().starts_with("opts=")) else {
            panic!("no opts for {case}");
        };
        let words: Vec<&str> = opts
            .trim_start()
            .trim_start_matches("opts=")
            .trim_matches('"')
            .split_whitespace()
            .collect();
        for word in node.flags.iter().chain(&node.subcommands) {
            assert!(words.contains(&word.as_str()), "{case}: {word} in {opts}");
        }
    }
}

#[test]
fn elvish_and_powershell_complete_each_commands_own_flags_and_subcommands() {
    for (shell, start, flag) in [
        ("elvish", "&'{path}'= {", "cand {word} "),
        ("powershell", "'{path}' {", "'{word}'"),
    ] {
        let script = script(shell);
        for node in nodes() {
            let start = start.replace("{path}", &node.path.join(";"));
            let block = block(&script, &start, "}").join("\n");
            for word in node.flags.iter().chain(&node.subcommands) {
                let wanted = flag.replace("{word}", word);
                assert!(block.contains(&wanted), "{shell} {start}: {wanted}");
            }
        }
    }
}

#[test]
fn zsh_and_fish_name_every_flag_and_subcommand() {
    let zsh = script("zsh");
    let fish = script("fish");
    for node in nodes() {
        for flag in &node.flags {
            assert!(
                zsh.contains(&format!("{flag}[")) || zsh.contains(&format!("{flag}=[")),
                "zsh: {flag}"
            );
            let long = flag.trim_start_matches("--");
            assert!(fish.contains(&format!(" -l {long}")), "fish: {flag}");
        }
        for sub in &node.subcommands {
            assert!(zsh.contains(&format!("'{sub}:")), "zsh: {sub}");
            assert!(fish.contains(&format!("-a \"{sub}\"")), "fish: {sub}");
        }
    }
    assert!(zsh.starts_with("#compdef acquire"), "{zsh}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let run = acquire(&["completions", "tcsh"], &[]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains("invalid value 'tcsh'"),
        "{}",
        run.stderr
    );
    let run = acquire(&["completions"], &[]);
    assert_eq!(run.code, Some(2), "{run:?}");
}
