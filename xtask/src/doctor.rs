//! `cargo xtask doctor`: the toolchain and each service, with how to start what is missing.

use std::process::Command;

use crate::manifest::Service;
use crate::services;
use crate::{CmdResult, Ctx};

/// The oldest Rust the course is tested with (the workspace's `rust-version`).
const MIN_RUST: (u32, u32) = (1, 95);

pub fn run(ctx: &Ctx) -> CmdResult {
    let s = ctx.style;
    let mut problems = 0;

    println!("{}", s.bold("Toolchain"));
    match rustc_version() {
        Some((version, major, minor)) if (major, minor) >= MIN_RUST => {
            println!("  {} rustc {version}", s.green("✓"));
        }
        Some((version, _, _)) => {
            problems += 1;
            println!(
                "  {} rustc {version}: the course needs {}.{} or newer; run `rustup update stable`",
                s.red("✗"),
                MIN_RUST.0,
                MIN_RUST.1
            );
        }
        None => {
            problems += 1;
            println!(
                "  {} rustc not found: install Rust from https://rustup.rs",
                s.red("✗")
            );
        }
    }
    for (tool, purpose) in [
        ("cargo-clippy", "clippy (maintainers' verify)"),
        ("rustfmt", "rustfmt (formatting)"),
    ] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            println!("  {} {purpose}", s.green("✓"));
        } else {
            println!(
                "  {} {purpose}: not installed; `rustup component add {}`",
                s.yellow("-"),
                tool.trim_start_matches("cargo-")
            );
        }
    }

    println!("\n{}", s.bold("Services"));
    let mut service_problems = 0;
    for service in Service::ALL {
        let used_by: Vec<&str> = ctx
            .manifest
            .stages
            .iter()
            .filter(|st| st.services.contains(&service))
            .map(|st| st.id.as_str())
            .collect();
        let needed_now = ctx
            .manifest
            .exercises
            .iter()
            .any(|ex| ctx.manifest.services_of(ex).contains(&service));
        let probe = services::probe(&ctx.root, service);
        let users = if used_by.is_empty() {
            String::new()
        } else {
            format!(" (for {})", used_by.join(", "))
        };
        if probe.reachable {
            println!(
                "  {} {} at {} ({}){users}",
                s.green("✓"),
                service.name(),
                probe.address,
                probe.source
            );
        } else {
            if needed_now {
                service_problems += 1;
            }
            let mark = if needed_now {
                s.red("✗")
            } else {
                s.yellow("-")
            };
            if service == Service::Nginx {
                println!("  {mark} nginx not found on PATH{users}");
            } else {
                println!(
                    "  {mark} {} not reachable at {} ({}){users}",
                    service.name(),
                    probe.address,
                    probe.source
                );
            }
            println!("      {}", service.how_to_start());
        }
    }
    if missing_with_docker(ctx) {
        println!(
            "\n  A Docker engine answers: `cargo xtask check` will let the tests start what is missing in\n  \
             containers (testcontainers). Starting the services yourself, as above, makes every check faster."
        );
    } else {
        problems += service_problems;
    }
    println!();
    if problems == 0 {
        println!(
            "{} everything the written exercises need is here.",
            s.green("Ready:")
        );
        Ok(0)
    } else {
        println!(
            "{} {problems} problem(s) above; each line says how to fix it.",
            s.red("Not ready:")
        );
        Ok(1)
    }
}

/// A needed service is missing, but containers can stand in for it.
fn missing_with_docker(ctx: &Ctx) -> bool {
    let needed: Vec<Service> = Service::ALL
        .into_iter()
        .filter(|s| {
            *s != Service::Nginx
                && ctx
                    .manifest
                    .exercises
                    .iter()
                    .any(|ex| ctx.manifest.services_of(ex).contains(s))
        })
        .collect();
    needed
        .iter()
        .any(|s| !services::probe(&ctx.root, *s).reachable)
        && services::docker_engine_answers()
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
}
