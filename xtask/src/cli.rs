//! Command-line parsing, by hand: a dozen words do not need a parser crate, and the runner
//! starts faster without one. Each command is declared once, in [`COMMANDS`]: its name, what
//! it takes, its flags, its help line and the function that runs it. The help text, the
//! flag checks, the dispatch and the suggestions for a misspelt command all read that table.

use crate::{CmdResult, Ctx};

/// What a command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Nothing,
    /// A stage or an exercise, or nothing (then the next exercise).
    OptionalTarget,
    OneExercise,
    OptionalStage,
}

/// A flag, and the field of [`Args`] it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Json,
    Force,
    Cold,
}

impl Flag {
    const ALL: [(Flag, &'static str, &'static str); 3] = [
        (Flag::Json, "--json", ""),
        (Flag::Force, "--force", "-f"),
        (Flag::Cold, "--cold", ""),
    ];
}

/// One command of the runner.
pub struct Command {
    pub name: &'static str,
    /// Other words for it (`list` for `progress`, `run` for `check`).
    pub aliases: &'static [&'static str],
    pub takes: Takes,
    pub flags: &'static [Flag],
    /// What goes after the name in the help, e.g. `[TARGET] [--json]`.
    pub usage: &'static str,
    pub help: &'static str,
    /// A maintainers' command, listed apart.
    pub maintainer: bool,
    pub run: fn(&Ctx, &Args) -> CmdResult,
}

/// What the words after the command said.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args {
    /// The stage or exercise named, if any.
    pub name: Option<String>,
    pub json: bool,
    pub force: bool,
    pub cold: bool,
}

impl Args {
    /// The name of a command that takes exactly one (the parser made sure of it).
    pub fn exercise(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}

pub const COMMANDS: &[Command] = &[
    Command {
        name: "progress",
        aliases: &["list"],
        takes: Takes::Nothing,
        flags: &[Flag::Json],
        usage: "[--json]",
        help: "every stage and exercise, from the last checks",
        maintainer: false,
        run: |ctx, args| crate::progress::run(ctx, args.json),
    },
    Command {
        name: "check",
        aliases: &["run"],
        takes: Takes::OptionalTarget,
        flags: &[Flag::Json],
        usage: "[TARGET] [--json]",
        help: "build and test a stage or an exercise (default: the next one)",
        maintainer: false,
        run: |ctx, args| crate::check::run(ctx, args.name.as_deref(), args.json),
    },
    Command {
        name: "watch",
        aliases: &[],
        takes: Takes::OptionalTarget,
        flags: &[],
        usage: "[TARGET]",
        help: "check again on every save (default: the next exercise)",
        maintainer: false,
        run: |ctx, args| crate::watch::run(ctx, args.name.as_deref()),
    },
    Command {
        name: "hint",
        aliases: &[],
        takes: Takes::OneExercise,
        flags: &[],
        usage: "EXERCISE",
        help: "the next hint, one more each time",
        maintainer: false,
        run: |ctx, args| crate::exercise_cmds::hint(ctx, args.exercise()),
    },
    Command {
        name: "solution",
        aliases: &[],
        takes: Takes::OneExercise,
        flags: &[Flag::Force],
        usage: "EXERCISE",
        help: "the reference solution, once your exercise passes (--force: now)",
        maintainer: false,
        run: |ctx, args| crate::exercise_cmds::solution(ctx, args.exercise(), args.force),
    },
    Command {
        name: "reset",
        aliases: &[],
        takes: Takes::OneExercise,
        flags: &[],
        usage: "EXERCISE",
        help: "put the starter back; your files are backed up first",
        maintainer: false,
        run: |ctx, args| crate::exercise_cmds::reset(ctx, args.exercise()),
    },
    Command {
        name: "doctor",
        aliases: &[],
        takes: Takes::Nothing,
        flags: &[],
        usage: "",
        help: "toolchain and services: what runs, and how to start what does not",
        maintainer: false,
        run: |ctx, _| crate::doctor::run(ctx),
    },
    Command {
        name: "verify",
        aliases: &[],
        takes: Takes::OptionalStage,
        flags: &[],
        usage: "[STAGE]",
        help: "every starter fails, every solution passes, manifest and files agree",
        maintainer: true,
        run: |ctx, args| crate::verify::run(ctx, args.name.as_deref()),
    },
    Command {
        name: "mistakes",
        aliases: &[],
        takes: Takes::OptionalTarget,
        flags: &[],
        usage: "[TARGET]",
        help: "every kept wrong solution fails its exercise's tests",
        maintainer: true,
        run: |ctx, args| crate::mistakes::run(ctx, args.name.as_deref()),
    },
    Command {
        name: "bless",
        aliases: &[],
        takes: Takes::Nothing,
        flags: &[],
        usage: "",
        help: "record the course's version of each test and starter file",
        maintainer: true,
        run: |ctx, _| crate::verify::bless(ctx),
    },
    Command {
        name: "bench",
        aliases: &[],
        takes: Takes::Nothing,
        flags: &[Flag::Cold],
        usage: "[--cold]",
        help: "time the feedback loop (--cold: also from an empty target dir)",
        maintainer: true,
        run: |ctx, args| crate::bench::run(ctx, args.cold),
    },
];

/// What the learner asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    /// No command: the first screen.
    Home,
    Help,
    Run(&'static str, Args),
}

/// The command called `name` (or one of its aliases).
pub fn command(name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// The help text, from the table.
pub fn help() -> String {
    let mut out = String::from(
        "backendlings: the Backend Engineer Roadmap as Rust exercises\n\n\
         Usage: cargo xtask [COMMAND]\n\nLearners:\n  (nothing)                 where you stand and what is next\n",
    );
    for maintainer in [false, true] {
        if maintainer {
            out.push_str("\nMaintainers:\n");
        }
        for c in COMMANDS.iter().filter(|c| c.maintainer == maintainer) {
            let call = format!("{} {}", c.name, c.usage);
            out.push_str(&format!("  {:<24}  {}\n", call.trim_end(), c.help));
        }
    }
    out.push_str(
        "\nTARGET is a stage (stage2, 2, stage2-databases) or an exercise (03_joins, joins, stage2/03).\n",
    );
    out
}

/// Parses the words after `cargo xtask`.
pub fn parse(args: &[String]) -> Result<Invocation, String> {
    let mut flags: Vec<Flag> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    for arg in args {
        let arg = arg.as_str();
        if arg == "-h" || arg == "--help" {
            return Ok(Invocation::Help);
        }
        if let Some((flag, _, _)) = Flag::ALL
            .iter()
            .find(|(_, long, short)| arg == *long || (!short.is_empty() && arg == *short))
        {
            flags.push(*flag);
        } else if arg.starts_with('-') {
            return Err(format!(
                "unknown option `{arg}`; `cargo xtask help` lists the options"
            ));
        } else {
            words.push(arg);
        }
    }
    let Some((first, rest)) = words.split_first() else {
        if let Some(flag) = flags.first() {
            return Err(not_for(*flag, "cargo xtask"));
        }
        return Ok(Invocation::Home);
    };
    if *first == "help" {
        return Ok(Invocation::Help);
    }
    let Some(command) = command(first) else {
        return Err(unknown_command(first));
    };
    if let Some(flag) = flags.iter().find(|f| !command.flags.contains(f)) {
        return Err(not_for(*flag, command.name));
    }
    let name = command.name;
    let name_arg = match (command.takes, rest) {
        (Takes::Nothing, []) => None,
        (Takes::Nothing, _) => {
            return Err(format!("`{name}` takes no names, got: {}", rest.join(" ")));
        }
        (Takes::OptionalTarget | Takes::OptionalStage, []) => None,
        (Takes::OptionalTarget | Takes::OptionalStage | Takes::OneExercise, [one]) => {
            Some(one.to_string())
        }
        (Takes::OneExercise, []) => {
            return Err(format!(
                "`{name}` needs an exercise, e.g. `cargo xtask {name} 01_http_request`"
            ));
        }
        (Takes::OneExercise, _) => {
            return Err(format!(
                "`{name}` takes one exercise, got {}: {}",
                rest.len(),
                rest.join(" ")
            ));
        }
        (Takes::OptionalTarget | Takes::OptionalStage, _) => {
            return Err(format!(
                "`{name}` takes one stage or exercise, got {}: {}",
                rest.len(),
                rest.join(" ")
            ));
        }
    };
    Ok(Invocation::Run(
        name,
        Args {
            name: name_arg,
            json: flags.contains(&Flag::Json),
            force: flags.contains(&Flag::Force),
            cold: flags.contains(&Flag::Cold),
        },
    ))
}

fn not_for(flag: Flag, command: &str) -> String {
    let (_, long, _) = Flag::ALL
        .iter()
        .find(|(f, _, _)| *f == flag)
        .expect("every flag is in the table");
    format!(
        "`{long}` does not apply to `{command}`; `cargo xtask help` says which command takes it"
    )
}

/// An unknown command, with the closest one when there is one.
fn unknown_command(word: &str) -> String {
    let learners: Vec<&str> = COMMANDS
        .iter()
        .filter(|c| !c.maintainer)
        .map(|c| c.name)
        .collect();
    let closest = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .map(|n| (crate::names::distance(word, n), n))
        .filter(|(d, _)| *d <= 2)
        .min();
    let suggestion = match closest {
        Some((_, n)) => format!("did you mean `{}`? ", command(n).map_or(n, |c| c.name)),
        None => String::new(),
    };
    format!(
        "unknown command `{word}`; {suggestion}the commands are: {} (`cargo xtask help`)",
        learners.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(line: &str) -> Result<Invocation, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&args)
    }

    fn run(command: &'static str, args: Args) -> Result<Invocation, String> {
        Ok(Invocation::Run(command, args))
    }

    #[test]
    fn no_words_is_the_first_screen() {
        assert_eq!(parse_words(""), Ok(Invocation::Home));
    }

    #[test]
    fn check_takes_an_optional_target_and_json() {
        assert_eq!(parse_words("check"), run("check", Args::default()));
        assert_eq!(
            parse_words("check stage1 --json"),
            run(
                "check",
                Args {
                    name: Some("stage1".into()),
                    json: true,
                    ..Args::default()
                }
            )
        );
        assert_eq!(
            parse_words("--json run 01_http_request"),
            run(
                "check",
                Args {
                    name: Some("01_http_request".into()),
                    json: true,
                    ..Args::default()
                }
            )
        );
    }

    #[test]
    fn exercise_commands_need_one_exercise() {
        assert_eq!(
            parse_words("hint joins"),
            run(
                "hint",
                Args {
                    name: Some("joins".into()),
                    ..Args::default()
                }
            )
        );
        assert_eq!(
            parse_words("solution joins -f"),
            run(
                "solution",
                Args {
                    name: Some("joins".into()),
                    force: true,
                    ..Args::default()
                }
            )
        );
        assert_eq!(
            parse_words("hint"),
            Err("`hint` needs an exercise, e.g. `cargo xtask hint 01_http_request`".into())
        );
        assert_eq!(
            parse_words("reset a b"),
            Err("`reset` takes one exercise, got 2: a b".into())
        );
    }

    #[test]
    fn unknown_commands_and_options_are_usage_errors() {
        assert_eq!(
            parse_words("chekc"),
            Err("unknown command `chekc`; did you mean `check`? the commands are: progress, check, watch, hint, solution, reset, doctor (`cargo xtask help`)".into())
        );
        assert_eq!(
            parse_words("frobnicate"),
            Err("unknown command `frobnicate`; the commands are: progress, check, watch, hint, solution, reset, doctor (`cargo xtask help`)".into())
        );
        assert_eq!(
            parse_words("check --verbose"),
            Err("unknown option `--verbose`; `cargo xtask help` lists the options".into())
        );
        assert_eq!(
            parse_words("hint x --json"),
            Err(
                "`--json` does not apply to `hint`; `cargo xtask help` says which command takes it"
                    .into()
            )
        );
        assert_eq!(
            parse_words("--cold"),
            Err(
                "`--cold` does not apply to `cargo xtask`; `cargo xtask help` says which command takes it"
                    .into()
            )
        );
        assert_eq!(
            parse_words("doctor now"),
            Err("`doctor` takes no names, got: now".into())
        );
    }

    #[test]
    fn help_wins_anywhere() {
        assert_eq!(parse_words("check --help"), Ok(Invocation::Help));
        assert_eq!(parse_words("help"), Ok(Invocation::Help));
    }

    #[test]
    fn the_help_lists_every_command_once_from_the_table() {
        let help = help();
        for c in COMMANDS {
            assert_eq!(
                help.matches(&format!("\n  {} ", c.name)).count(),
                1,
                "{}",
                c.name
            );
        }
        assert!(help.contains("  check [TARGET] [--json]   build and test a stage"));
    }
}
