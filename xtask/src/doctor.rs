//! `cargo xtask doctor`: the toolchain and each service, with how to start what is missing.
//!
//! Deciding and printing are apart: [`diagnose`] looks at the machine and returns one
//! [`Check`] a line, [`render`] turns them into the screen, so the decisions can be tested
//! without a terminal and the wording without a machine.

use std::fmt::Write as _;
use std::process::Command;

use services::{Kind, Probe, Service};

use crate::manifest::Manifest;
use crate::term::Style;
use crate::{CmdResult, Ctx};

/// The oldest Rust the course is tested with (the workspace's `rust-version`).
const MIN_RUST: (u32, u32) = (1, 95);

/// One thing doctor looked at, and what it found.
#[derive(Debug, Clone, PartialEq)]
struct Check {
    /// What was looked at: `rustc`, `Redis`.
    what: String,
    status: Status,
    /// What was found, after `what` on the same line: `at 127.0.0.1:6379 (the default)`.
    detail: String,
    /// What to do about it, on the next line; only for what is missing.
    fix: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// There, and working.
    Ok,
    /// Missing, and a written exercise needs it: a problem.
    Needed,
    /// Missing and needed, but testkit will start it in a container, since a Docker engine
    /// answers: slower, not a problem.
    Container,
    /// Missing, and no written exercise needs it (yet).
    Optional,
}

/// Everything doctor found.
struct Findings {
    toolchain: Vec<Check>,
    services: Vec<Check>,
}

impl Findings {
    /// What stops an exercise from being checked.
    fn problems(&self) -> usize {
        self.toolchain
            .iter()
            .chain(&self.services)
            .filter(|c| c.status == Status::Needed)
            .count()
    }
}

pub fn run(ctx: &Ctx) -> CmdResult {
    let findings = diagnose(ctx);
    print!("{}", render(ctx.style, &findings));
    Ok(if findings.problems() == 0 { 0 } else { 1 })
}

/// Looks at the toolchain and probes every service.
fn diagnose(ctx: &Ctx) -> Findings {
    let probes = Service::ALL.map(|service| services::probe(&ctx.root, service));
    Findings {
        toolchain: toolchain(),
        services: service_checks(&ctx.manifest, &probes, services::docker_engine_answers),
    }
}

fn toolchain() -> Vec<Check> {
    let mut checks = vec![rustc_check(rustc_version())];
    for (tool, component, purpose) in [
        ("cargo-clippy", "clippy", "(maintainers' verify)"),
        ("rustfmt", "rustfmt", "(formatting)"),
    ] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        checks.push(if found {
            check(component, Status::Ok, purpose.to_string(), None)
        } else {
            check(
                component,
                Status::Optional,
                format!("{purpose}: not installed"),
                Some(format!("run `rustup component add {component}`")),
            )
        });
    }
    checks
}

/// `rustc`'s version, from `rustc --version` (`None`: rustc did not run).
fn rustc_check(version: Option<(String, u32, u32)>) -> Check {
    match version {
        Some((version, major, minor)) if (major, minor) >= MIN_RUST => {
            check("rustc", Status::Ok, version, None)
        }
        Some((version, _, _)) => check(
            "rustc",
            Status::Needed,
            format!(
                "{version}: the course needs {}.{} or newer",
                MIN_RUST.0, MIN_RUST.1
            ),
            Some("run `rustup update stable`".to_string()),
        ),
        None => check(
            "rustc",
            Status::Needed,
            "not found".to_string(),
            Some("install Rust from https://rustup.rs".to_string()),
        ),
    }
}

/// One check per service, in `probes`' order. A missing service is needed when a written
/// exercise uses it; `docker_answers` is asked only when a container could stand in for one.
fn service_checks(
    manifest: &Manifest,
    probes: &[Probe],
    docker_answers: impl FnOnce() -> bool,
) -> Vec<Check> {
    let needed = |service: Service| {
        manifest
            .exercises
            .iter()
            .any(|ex| manifest.services_of(ex).contains(&service))
    };
    let containers = probes
        .iter()
        .any(|p| !p.reachable && p.service.container_fallback() && needed(p.service))
        && docker_answers();
    probes
        .iter()
        .map(|probe| {
            let service = probe.service;
            let used_by: Vec<&str> = manifest
                .stages
                .iter()
                .filter(|st| st.services.contains(&service))
                .map(|st| st.id.as_str())
                .collect();
            let users = if used_by.is_empty() {
                String::new()
            } else {
                format!(" (for {})", used_by.join(", "))
            };
            if probe.reachable {
                let detail = format!("at {} ({}){users}", probe.address, probe.source);
                return check(service.name(), Status::Ok, detail, None);
            }
            let status = if !needed(service) {
                Status::Optional
            } else if containers && service.container_fallback() {
                Status::Container
            } else {
                Status::Needed
            };
            let detail = match service.kind() {
                Kind::Network => format!(
                    "not reachable at {} ({}){users}",
                    probe.address, probe.source
                ),
                Kind::Programs => format!("not found on PATH{}{users}", missing(probe)),
            };
            let fix = Some(service.how_to_start().to_string());
            check(service.name(), status, detail, fix)
        })
        .collect()
}

/// ` (chromedriver missing)`: which of a service's programs are missing, where the service's
/// name does not already say it.
fn missing(probe: &Probe) -> String {
    if probe.address.eq_ignore_ascii_case(probe.service.name()) {
        String::new()
    } else {
        format!(" ({} missing)", probe.address)
    }
}

fn check(what: &str, status: Status, detail: String, fix: Option<String>) -> Check {
    Check {
        what: what.to_string(),
        status,
        detail,
        fix,
    }
}

/// The screen: the checks by section, what containers will do, and the verdict.
fn render(s: Style, findings: &Findings) -> String {
    let mut out = String::new();
    for (title, checks) in [
        ("Toolchain", &findings.toolchain),
        ("Services", &findings.services),
    ] {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", s.bold(title));
        for c in checks {
            let mark = match c.status {
                Status::Ok => s.green("✓"),
                Status::Needed | Status::Container => s.red("✗"),
                Status::Optional => s.yellow("-"),
            };
            let _ = writeln!(out, "  {mark} {} {}", c.what, c.detail);
            if let Some(fix) = &c.fix {
                let _ = writeln!(out, "      {fix}");
            }
        }
    }
    if findings
        .services
        .iter()
        .any(|c| c.status == Status::Container)
    {
        out.push_str(
            "\n  A Docker engine answers: `cargo xtask check` will let the tests start what is missing in\n  \
             containers (testcontainers). Starting the services yourself, as above, makes every check faster.\n",
        );
    }
    out.push('\n');
    let problems = findings.problems();
    if problems == 0 {
        let _ = writeln!(
            out,
            "{} everything the written exercises need is here.",
            s.green("Ready:")
        );
    } else {
        let _ = writeln!(
            out,
            "{} {problems} problem(s) above; each line says how to fix it.",
            s.red("Not ready:")
        );
    }
    out
}

/// `rustc 1.95.0 (…)` → ("1.95.0", 1, 95).
fn rustc_version() -> Option<(String, u32, u32)> {
    let out = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .ok()?;
    parse_rustc_version(&String::from_utf8_lossy(&out.stdout))
}

fn parse_rustc_version(text: &str) -> Option<(String, u32, u32)> {
    let version = text.split_whitespace().nth(1)?.to_string();
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((version, major, minor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rustc_versions() {
        assert_eq!(
            parse_rustc_version("rustc 1.95.0 (59807616e 2026-04-14)"),
            Some(("1.95.0".into(), 1, 95))
        );
        assert_eq!(
            parse_rustc_version("rustc 1.97.0-nightly (abc 2026-06-01)"),
            Some(("1.97.0-nightly".into(), 1, 97))
        );
        assert_eq!(parse_rustc_version("garbage"), None);
    }

    #[test]
    fn an_old_or_missing_rustc_is_a_problem_with_its_fix() {
        assert_eq!(
            rustc_check(Some(("1.95.0".into(), 1, 95))).status,
            Status::Ok
        );
        let old = rustc_check(Some(("1.80.1".into(), 1, 80)));
        assert_eq!(old.status, Status::Needed);
        assert_eq!(old.detail, "1.80.1: the course needs 1.95 or newer");
        assert_eq!(old.fix.as_deref(), Some("run `rustup update stable`"));
        assert_eq!(rustc_check(None).status, Status::Needed);
    }

    /// A written stage that uses PostgreSQL, Redis and nginx, and a planned one with
    /// RabbitMQ; its one exercise uses PostgreSQL and nginx.
    const MANIFEST: &str = r#"
steps = ["one"]
[[stage]]
id = "stage2"
dir = "stage2-x"
title = "X"
step = 1
summary = "x"
services = ["postgres", "redis", "nginx"]
[[stage]]
id = "stage4"
dir = "stage4-y"
title = "Y"
step = 1
summary = "y"
services = ["rabbitmq"]
planned = true
[[exercise]]
id = "a"
stage = "stage2"
file = "01_a"
title = "A"
roadmap = "SQL"
services = ["postgres", "nginx"]
hints = ["h"]
"#;

    fn probe(service: Service, address: &str, reachable: bool) -> Probe {
        Probe {
            service,
            address: address.into(),
            source: if service.kind() == Kind::Network {
                "the default".into()
            } else {
                "PATH".into()
            },
            reachable,
        }
    }

    fn probes(up: bool) -> Vec<Probe> {
        vec![
            probe(Service::Postgres, "127.0.0.1:5432", up),
            probe(Service::Redis, "127.0.0.1:6379", up),
            probe(Service::Rabbitmq, "127.0.0.1:5672", up),
            probe(
                Service::Nginx,
                if up { "/usr/sbin/nginx" } else { "nginx" },
                up,
            ),
            probe(Service::Chromium, "chromedriver", false),
        ]
    }

    fn status_of(checks: &[Check], what: &str) -> Status {
        checks.iter().find(|c| c.what == what).unwrap().status
    }

    #[test]
    fn each_service_is_one_line_saying_where_it_is() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let checks = service_checks(&manifest, &probes(true), || {
            panic!("nothing is missing: no need to ask for Docker")
        });
        assert_eq!(checks.len(), 5);
        assert_eq!(
            checks[0],
            check(
                "PostgreSQL",
                Status::Ok,
                "at 127.0.0.1:5432 (the default) (for stage2)".into(),
                None
            )
        );
        assert_eq!(checks[3].detail, "at /usr/sbin/nginx (PATH) (for stage2)");
        assert_eq!(status_of(&checks, "Chromium"), Status::Optional);
    }

    #[test]
    fn a_missing_service_is_needed_only_when_a_written_exercise_uses_it() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let checks = service_checks(&manifest, &probes(false), || false);
        // The exercise uses PostgreSQL and nginx; Redis is only its stage's, RabbitMQ a
        // planned stage's, Chromium nobody's.
        assert_eq!(status_of(&checks, "PostgreSQL"), Status::Needed);
        assert_eq!(status_of(&checks, "nginx"), Status::Needed);
        assert_eq!(status_of(&checks, "Redis"), Status::Optional);
        assert_eq!(status_of(&checks, "RabbitMQ"), Status::Optional);
        assert_eq!(status_of(&checks, "Chromium"), Status::Optional);
        let postgres = &checks[0];
        assert_eq!(
            postgres.detail,
            "not reachable at 127.0.0.1:5432 (the default) (for stage2)"
        );
        assert_eq!(
            postgres.fix.as_deref(),
            Some(Service::Postgres.how_to_start())
        );
        assert_eq!(checks[3].detail, "not found on PATH (for stage2)");
        assert_eq!(checks[4].detail, "not found on PATH (chromedriver missing)");
    }

    #[test]
    fn containers_stand_in_for_servers_but_not_for_programs() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let checks = service_checks(&manifest, &probes(false), || true);
        assert_eq!(status_of(&checks, "PostgreSQL"), Status::Container);
        assert_eq!(status_of(&checks, "nginx"), Status::Needed);
        let findings = Findings {
            toolchain: vec![rustc_check(Some(("1.95.0".into(), 1, 95)))],
            services: checks,
        };
        assert_eq!(findings.problems(), 1);
        let screen = render(Style::plain(), &findings);
        assert!(
            screen.contains("✗ PostgreSQL not reachable at 127.0.0.1:5432 (the default)"),
            "{screen}"
        );
        assert!(screen.contains("A Docker engine answers"), "{screen}");
        assert!(
            screen.contains("✗ nginx not found on PATH (for stage2)\n      install nginx"),
            "{screen}"
        );
        assert!(
            screen.ends_with("Not ready: 1 problem(s) above; each line says how to fix it.\n"),
            "{screen}"
        );
    }

    #[test]
    fn nothing_missing_renders_ready() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        let findings = Findings {
            toolchain: vec![rustc_check(Some(("1.95.0".into(), 1, 95)))],
            services: service_checks(&manifest, &probes(true), || false),
        };
        let screen = render(Style::plain(), &findings);
        assert!(
            screen.starts_with("Toolchain\n  ✓ rustc 1.95.0\n\nServices\n"),
            "{screen}"
        );
        assert!(!screen.contains("Docker"), "{screen}");
        assert!(
            screen.ends_with("\nReady: everything the written exercises need is here.\n"),
            "{screen}"
        );
    }
}
