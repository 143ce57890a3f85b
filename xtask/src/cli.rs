//! Command-line parsing, by hand: a dozen words do not need a parser crate, and the runner
//! starts faster without one.

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Home,
    Help,
    Progress { json: bool },
    Check { target: Option<String>, json: bool },
    Watch { target: Option<String> },
    Hint { exercise: String },
    Solution { exercise: String, force: bool },
    Reset { exercise: String },
    Doctor,
    Verify { stage: Option<String> },
    Bless,
    Bench { cold: bool },
}

pub const HELP: &str = "\
backendlings: the Backend Engineer Roadmap as Rust exercises

Usage: cargo xtask [COMMAND]

Learners:
  (nothing)                 where you stand and what is next
  progress [--json]         every stage and exercise, from the last checks
  check [TARGET] [--json]   build and test a stage or an exercise (default: the next one)
  watch [TARGET]            check again on every save (default: the next exercise)
  hint EXERCISE             the next hint, one more each time
  solution EXERCISE         the reference solution, once your exercise passes (--force: now)
  reset EXERCISE            put the starter back; your file is backed up first
  doctor                    toolchain and services: what runs, and how to start what does not

Maintainers:
  verify [STAGE]            every starter fails, every solution passes, manifest and files agree
  bless                     record the course's version of each test and starter file
  bench [--cold]            time the feedback loop (--cold: also from an empty target dir)

TARGET is a stage (stage2, 2, stage2-databases) or an exercise (03_joins, joins, stage2/03).
";

/// Parses the words after `cargo xtask`.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut json = false;
    let mut force = false;
    let mut cold = false;
    let mut words: Vec<&str> = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--json" => json = true,
            "--force" | "-f" => force = true,
            "--cold" => cold = true,
            "-h" | "--help" => return Ok(Command::Help),
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "unknown option `{flag}`; `cargo xtask help` lists the options"
                ));
            }
            word => words.push(word),
        }
    }
    let (command, rest) = match words.split_first() {
        None => ("", &[][..]),
        Some((first, rest)) => (*first, rest),
    };

    let allow = |flag: bool, name: &str, allowed: &[&str]| -> Result<(), String> {
        if flag && !allowed.contains(&command) {
            let shown = if command.is_empty() {
                "cargo xtask"
            } else {
                command
            };
            return Err(format!(
                "`{name}` does not apply to `{shown}`; `cargo xtask help` says which command takes it"
            ));
        }
        Ok(())
    };
    allow(json, "--json", &["check", "progress"])?;
    allow(force, "--force", &["solution"])?;
    allow(cold, "--cold", &["bench"])?;

    let optional = |rest: &[&str]| -> Result<Option<String>, String> {
        match rest {
            [] => Ok(None),
            [one] => Ok(Some(one.to_string())),
            _ => Err(format!(
                "`{command}` takes one stage or exercise, got {}: {}",
                rest.len(),
                rest.join(" ")
            )),
        }
    };
    let required = |rest: &[&str]| -> Result<String, String> {
        match rest {
            [one] => Ok(one.to_string()),
            [] => Err(format!(
                "`{command}` needs an exercise, e.g. `cargo xtask {command} 01_http_request`"
            )),
            _ => Err(format!(
                "`{command}` takes one exercise, got {}: {}",
                rest.len(),
                rest.join(" ")
            )),
        }
    };
    let none = |rest: &[&str]| -> Result<(), String> {
        if rest.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "`{command}` takes no names, got: {}",
                rest.join(" ")
            ))
        }
    };

    Ok(match command {
        "" => Command::Home,
        "help" => Command::Help,
        "progress" | "list" => {
            none(rest)?;
            Command::Progress { json }
        }
        "check" | "run" => Command::Check {
            target: optional(rest)?,
            json,
        },
        "watch" => Command::Watch {
            target: optional(rest)?,
        },
        "hint" => Command::Hint {
            exercise: required(rest)?,
        },
        "solution" => Command::Solution {
            exercise: required(rest)?,
            force,
        },
        "reset" => Command::Reset {
            exercise: required(rest)?,
        },
        "doctor" => {
            none(rest)?;
            Command::Doctor
        }
        "verify" => Command::Verify {
            stage: optional(rest)?,
        },
        "bless" => {
            none(rest)?;
            Command::Bless
        }
        "bench" => {
            none(rest)?;
            Command::Bench { cold }
        }
        other => {
            return Err(format!(
                "unknown command `{other}`; the commands are: progress, check, watch, hint, solution, reset, doctor (`cargo xtask help`)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(line: &str) -> Result<Command, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(&args)
    }

    #[test]
    fn no_words_is_the_first_screen() {
        assert_eq!(parse_words(""), Ok(Command::Home));
    }

    #[test]
    fn check_takes_an_optional_target_and_json() {
        assert_eq!(
            parse_words("check"),
            Ok(Command::Check {
                target: None,
                json: false
            })
        );
        assert_eq!(
            parse_words("check stage1 --json"),
            Ok(Command::Check {
                target: Some("stage1".into()),
                json: true
            })
        );
        assert_eq!(
            parse_words("--json check 01_http_request"),
            Ok(Command::Check {
                target: Some("01_http_request".into()),
                json: true
            })
        );
    }

    #[test]
    fn exercise_commands_need_one_exercise() {
        assert_eq!(
            parse_words("hint joins"),
            Ok(Command::Hint {
                exercise: "joins".into()
            })
        );
        assert_eq!(
            parse_words("solution joins --force"),
            Ok(Command::Solution {
                exercise: "joins".into(),
                force: true
            })
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
            Err("unknown command `chekc`; the commands are: progress, check, watch, hint, solution, reset, doctor (`cargo xtask help`)".into())
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
            parse_words("doctor now"),
            Err("`doctor` takes no names, got: now".into())
        );
    }

    #[test]
    fn help_wins_anywhere() {
        assert_eq!(parse_words("check --help"), Ok(Command::Help));
        assert_eq!(parse_words("help"), Ok(Command::Help));
    }
}
