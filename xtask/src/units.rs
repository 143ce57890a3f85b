//! About how many units a build of one stage compiles, read from `cargo metadata` before it
//! starts, so that a long first build can say "45/~130 crates".
//!
//! `cargo metadata` describes the whole workspace at once, with features unified across
//! every member: stage 2 turning on testkit's PostgreSQL support would count sqlx for stage 1
//! too. So the features are worked out again here, for one package built alone, the way
//! cargo's resolver does it: from the package's own features, along its dependencies'
//! declared features and `dep:`/`x/f`/`x?/f` entries, only through the edges cargo resolved
//! for this platform. Good to a few percent; it is a progress estimate, not a build plan.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A declared dependency, joined to the package cargo resolved it to.
struct Dep<'a> {
    /// The name the dependent's features use (`x` in `dep:x`, `x/f`).
    key: String,
    optional: bool,
    features: Vec<&'a str>,
    default_features: bool,
    dev: bool,
    id: &'a str,
}

struct Package<'a> {
    features: BTreeMap<&'a str, Vec<&'a str>>,
    deps: Vec<Dep<'a>>,
    build_script: bool,
}

/// Units of building `package` alone with `features` (and no default features): its
/// dependency closure, a build script's compile for each package that has one, and the
/// package itself.
pub fn estimate<'a>(meta: &'a Value, package: &str, features: &[&'a str]) -> Option<usize> {
    let packages = read_packages(meta)?;
    let root = meta["packages"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == package)?["id"]
        .as_str()?;

    let mut enabled: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // Work: a package to activate with features, and whether its default features apply.
    let mut work: Vec<(&str, Vec<&str>, bool)> = vec![(root, features.to_vec(), false)];
    while let Some((id, features, default)) = work.pop() {
        let Some(pkg) = packages.get(id) else {
            continue;
        };
        let first_time = !enabled.contains_key(id);
        let mut on = enabled.remove(id).unwrap_or_default();
        let mut todo: Vec<&str> = features;
        if default && pkg.features.contains_key("default") {
            todo.push("default");
        }
        let mut deps_on: Vec<(&Dep, Vec<&str>)> = Vec::new();
        if first_time {
            for dep in &pkg.deps {
                if !dep.optional && (!dep.dev || id == root) {
                    deps_on.push((dep, Vec::new()));
                }
            }
        }
        while let Some(feature) = todo.pop() {
            if !on.insert(feature) {
                continue;
            }
            // A feature's entries; a requested `x/f` (such as `testkit/containers`) or an
            // optional dependency's name stands for itself.
            let entries: Vec<&str> = match pkg.features.get(feature) {
                Some(entries) => entries.clone(),
                None => vec![feature],
            };
            for entry in entries {
                let dep_of = |key: &'a str| pkg.deps.iter().filter(move |d| d.key == key);
                if let Some(key) = entry.strip_prefix("dep:") {
                    deps_on.extend(dep_of(key).map(|d| (d, Vec::new())));
                } else if let Some((key, f)) = entry.split_once('/') {
                    let (key, weak) = match key.strip_suffix('?') {
                        Some(k) => (k, true),
                        None => (key, false),
                    };
                    for d in dep_of(key) {
                        // A weak `x?/f` turns f on only where x is on anyway.
                        if !weak || !d.optional || enabled.contains_key(d.id) {
                            deps_on.push((d, vec![f]));
                        }
                    }
                } else if entry != feature && pkg.features.contains_key(entry) {
                    todo.push(entry);
                } else {
                    // An optional dependency's implicit feature.
                    deps_on.extend(dep_of(entry).map(|d| (d, Vec::new())));
                }
            }
        }
        enabled.insert(id, on);
        for (dep, extra) in deps_on {
            let mut wanted = dep.features.clone();
            wanted.extend(extra);
            let known = enabled.get(dep.id);
            let news = known.is_none()
                || wanted.iter().any(|f| !known.is_some_and(|k| k.contains(f)))
                || (dep.default_features && !known.is_some_and(|k| k.contains("default")));
            if news {
                work.push((dep.id, wanted, dep.default_features));
            }
        }
    }
    let build_scripts = enabled
        .keys()
        .filter(|id| packages.get(*id).is_some_and(|p| p.build_script))
        .count();
    Some(enabled.len() + build_scripts)
}

/// Each package with its features and its dependencies, joined to the packages cargo
/// resolved them to (for this platform: an edge cargo did not resolve is not followed).
fn read_packages(meta: &Value) -> Option<BTreeMap<&str, Package<'_>>> {
    let resolved: BTreeMap<&str, BTreeMap<&str, &str>> = meta["resolve"]["nodes"]
        .as_array()?
        .iter()
        .filter_map(|n| {
            let deps = n["deps"]
                .as_array()?
                .iter()
                .filter_map(|d| Some((d["name"].as_str()?, d["pkg"].as_str()?)))
                .collect();
            Some((n["id"].as_str()?, deps))
        })
        .collect();
    let mut out = BTreeMap::new();
    for p in meta["packages"].as_array()? {
        let id = p["id"].as_str()?;
        let Some(edges) = resolved.get(id) else {
            continue;
        };
        let features = p["features"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                let list = v.as_array().into_iter().flatten();
                (k.as_str(), list.filter_map(Value::as_str).collect())
            })
            .collect();
        let deps = p["dependencies"]
            .as_array()?
            .iter()
            .filter_map(|d| {
                let name = d["name"].as_str()?;
                let key = d["rename"].as_str().unwrap_or(name).to_string();
                let id = edges.get(key.replace('-', "_").as_str())?;
                Some(Dep {
                    optional: d["optional"].as_bool().unwrap_or(false),
                    features: d["features"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect(),
                    default_features: d["uses_default_features"].as_bool().unwrap_or(true),
                    dev: d["kind"] == "dev",
                    key,
                    id,
                })
            })
            .collect();
        let build_script = p["targets"].as_array().is_some_and(|ts| {
            ts.iter().any(|t| {
                t["kind"]
                    .as_array()
                    .is_some_and(|k| k.contains(&"custom-build".into()))
            })
        });
        out.insert(
            id,
            Package {
                features,
                deps,
                build_script,
            },
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, features: Value, deps: Value, build_script: bool) -> Value {
        let mut targets = vec![serde_json::json!({"kind": ["lib"]})];
        if build_script {
            targets.push(serde_json::json!({"kind": ["custom-build"]}));
        }
        serde_json::json!({"name": name, "id": name, "features": features,
            "dependencies": deps, "targets": targets})
    }

    fn dep(name: &str, optional: bool, features: &[&str], kind: Option<&str>) -> Value {
        serde_json::json!({"name": name, "optional": optional, "features": features,
            "uses_default_features": true, "kind": kind, "rename": null})
    }

    /// stage1 and stage2 both use `kit`; stage2 turns on kit's `db` feature, which pulls
    /// `sqlx` (with a build script). cargo metadata's resolve is the unified one.
    fn workspace() -> Value {
        serde_json::json!({
            "packages": [
                package("stage1", serde_json::json!({"solution": []}),
                    serde_json::json!([dep("kit", false, &[], Some("dev")), dep("tokio", false, &[], None)]), false),
                package("stage2", serde_json::json!({}),
                    serde_json::json!([dep("kit", false, &["db"], Some("dev"))]), false),
                package("kit", serde_json::json!({"db": ["dep:sqlx"], "default": [], "fast": ["tokio/rt"]}),
                    serde_json::json!([dep("sqlx", true, &[], None), dep("tokio", false, &[], None)]), false),
                package("sqlx", serde_json::json!({}), serde_json::json!([dep("tokio", false, &[], None)]), true),
                package("tokio", serde_json::json!({"rt": ["dep:mio"], "default": []}),
                    serde_json::json!([dep("mio", true, &[], None), dep("windows", false, &[], None)]), false),
                package("mio", serde_json::json!({}), serde_json::json!([]), false),
                package("windows", serde_json::json!({}), serde_json::json!([]), false),
            ],
            "resolve": {"nodes": [
                {"id": "stage1", "deps": [{"name": "kit", "pkg": "kit"}, {"name": "tokio", "pkg": "tokio"}]},
                {"id": "stage2", "deps": [{"name": "kit", "pkg": "kit"}]},
                {"id": "kit", "deps": [{"name": "sqlx", "pkg": "sqlx"}, {"name": "tokio", "pkg": "tokio"}]},
                {"id": "sqlx", "deps": [{"name": "tokio", "pkg": "tokio"}]},
                // Filtered for this platform: no `windows` edge.
                {"id": "tokio", "deps": [{"name": "mio", "pkg": "mio"}]},
                {"id": "mio", "deps": []},
            ]},
        })
    }

    #[test]
    fn a_stage_alone_counts_only_what_its_own_features_pull() {
        let meta = workspace();
        // stage1, kit, tokio: no sqlx (stage2's feature), no mio (not turned on), no windows.
        assert_eq!(estimate(&meta, "stage1", &[]), Some(3));
        // stage2, kit, sqlx and its build script, tokio.
        assert_eq!(estimate(&meta, "stage2", &[]), Some(5));
    }
}
