//! Running a learner's shell command, for the exercises done in the terminal itself: the
//! command runs with `sh -c` and the variables the test gives it, never longer than a few
//! seconds, and every failure says what to do — a task still empty, a tool not installed
//! (with how to install it), no `sh` at all (Windows: WSL or Git Bash), a program the shell
//! did not find (exit status 127).
//!
//! ```text
//! const TOOLS: &[(&str, &str)] = &[("jq", "apt install jq, brew install jq")];
//! let run = testkit::shell::run("exercises/13_terminal.rs", TOOLS, "TOP_CLIENTS", TOP_CLIENTS,
//!     &[("LOG", log_path)]).await;
//! assert_eq!(run.output(), expected, "{}", run.transcript());
//! ```

use std::process::Stdio;

/// What a command did.
#[derive(Debug, Clone)]
pub struct Run {
    /// The task's name, e.g. `CREATE_TODO`.
    pub task: &'static str,
    pub command: &'static str,
    /// `None`: killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout without the spaces and empty lines around it.
    pub fn output(&self) -> &str {
        self.stdout.trim()
    }

    /// The command and everything it printed, for failure messages.
    pub fn transcript(&self) -> String {
        let code = self
            .code
            .map_or("killed by a signal".to_string(), |c| c.to_string());
        format!(
            "{} ran:\n  {}\nexit status: {code}\nstdout: {:?}\nstderr: {:?}",
            self.task, self.command, self.stdout, self.stderr
        )
    }
}

/// Whether `program` is an executable file in one of the `PATH` directories.
pub fn installed(program: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    std::env::split_paths(&path).any(|dir| {
        [program.to_string(), format!("{program}.exe")]
            .iter()
            .any(|name| dir.join(name).is_file())
    })
}

/// Runs `command` (the task named `task`, written in `exercise`) with `sh -c` and the
/// variables `env`. `tools` are the programs the tasks use, each with how to install it: a
/// command that names a missing one fails before it runs, saying so.
pub async fn run(
    exercise: &str,
    tools: &[(&str, &str)],
    task: &'static str,
    command: &'static str,
    env: &[(&str, &str)],
) -> Run {
    assert!(
        !command.trim().is_empty(),
        "{task} is still empty: write its command in {exercise}"
    );
    let words: Vec<&str> = command
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .collect();
    for (tool, how) in tools {
        if words.contains(tool) && !installed(tool) {
            panic!("{task} needs {tool}, which is not installed here: {how}; then check again");
        }
    }
    let mut sh = tokio::process::Command::new("sh");
    sh.arg("-c")
        .arg(command)
        // Requests to 127.0.0.1 must never go through a proxy set in your environment.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        // Your own ~/.psqlrc (\timing, \x) must not change what psql prints here.
        .env("PSQLRC", "/dev/null")
        .env("PGCONNECT_TIMEOUT", "5")
        .stdin(Stdio::null())
        .kill_on_drop(true);
    for (name, value) in env {
        sh.env(name, value);
    }
    // A command starts a few programs (jq compiles its library at every start, a database
    // client connects and authenticates): on a busy machine that can take seconds.
    let output =
        match crate::within_secs(10, &format!("{task} (run with sh -c)"), sh.output()).await {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "the tests run your commands with `sh`, which is not installed here: on Windows, \
             run the course in WSL or Git Bash"
            ),
            Err(e) => panic!("cannot run sh: {e}"),
        };
    let run = Run {
        task,
        command,
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    if run.code == Some(127) {
        panic!(
            "the shell did not find a program that {task} runs (exit status 127): install it, \
             or use one that is installed\n{}",
            run.transcript()
        );
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_command_runs_with_the_variables_it_is_given() {
        let run = run(
            "x.rs",
            &[],
            "GREET",
            r#"echo "hello, $WHO""#,
            &[("WHO", "ada")],
        )
        .await;
        assert_eq!((run.code, run.output()), (Some(0), "hello, ada"));
    }

    #[tokio::test]
    #[should_panic(expected = "GREET is still empty: write its command in x.rs")]
    async fn an_empty_task_says_where_to_write_it() {
        run("x.rs", &[], "GREET", "  ", &[]).await;
    }

    #[tokio::test]
    #[should_panic(
        expected = "COUNT needs no-such-tool-here, which is not installed here: apt install it; then check again"
    )]
    async fn a_missing_tool_says_how_to_install_it() {
        run(
            "x.rs",
            &[("no-such-tool-here", "apt install it")],
            "COUNT",
            "no-such-tool-here --count",
            &[],
        )
        .await;
    }
}
