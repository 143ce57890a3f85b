//! Forgiving names: `stage2`, `2`, `stage2-databases`; `03_joins`, `joins`, `stage2/03`.

use crate::manifest::{Exercise, Manifest, Stage};

/// What a learner asked for.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Stage(&'a Stage),
    Exercise(&'a Exercise),
}

impl<'a> Target<'a> {
    /// The exercises a target covers, in course order.
    pub fn exercises(self, manifest: &'a Manifest) -> Vec<&'a Exercise> {
        match self {
            Target::Stage(stage) => manifest.exercises_of(stage).collect(),
            Target::Exercise(ex) => vec![ex],
        }
    }
}

/// Resolves a name, or explains why it cannot, with the closest names.
pub fn resolve<'a>(manifest: &'a Manifest, name: &str) -> Result<Target<'a>, String> {
    let wanted = normalize(name);
    if wanted.is_empty() {
        return Err(
            "an empty name matches nothing: try `cargo xtask progress` to see every exercise"
                .into(),
        );
    }

    if let Some(stage) = manifest
        .stages
        .iter()
        .find(|s| stage_names(s).contains(&wanted))
    {
        return Ok(Target::Stage(stage));
    }

    // `stage2/03`, `2/joins`, `stage2-databases/03_joins`.
    if let Some((stage_part, ex_part)) = wanted.split_once('/') {
        let stage = manifest
            .stages
            .iter()
            .find(|s| stage_names(s).contains(&stage_part.to_string()))
            .ok_or_else(|| unknown(manifest, name))?;
        let matches: Vec<&Exercise> = manifest
            .exercises_of(stage)
            .filter(|e| exercise_names(e).contains(&ex_part.to_string()))
            .collect();
        return match matches.as_slice() {
            [one] => Ok(Target::Exercise(one)),
            _ => Err(unknown(manifest, name)),
        };
    }

    let matches: Vec<&Exercise> = manifest
        .exercises
        .iter()
        .filter(|e| exercise_names(e).contains(&wanted))
        .collect();
    match matches.as_slice() {
        [one] => Ok(Target::Exercise(one)),
        [] => Err(unknown(manifest, name)),
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|e| format!("{}/{}", e.stage, e.file))
                .collect();
            Err(format!(
                "`{name}` matches several exercises: {}; name the stage too, e.g. `{}`",
                list.join(", "),
                list[0]
            ))
        }
    }
}

fn normalize(name: &str) -> String {
    name.trim()
        .trim_end_matches(".rs")
        .trim_matches('/')
        .to_lowercase()
        .replace('\\', "/")
}

fn stage_names(stage: &Stage) -> Vec<String> {
    let number = stage.id.trim_start_matches("stage").to_string();
    let mut names = vec![stage.id.clone(), stage.dir.clone(), number];
    if let Some((_, topic)) = stage.dir.split_once('-') {
        names.push(topic.to_string());
    }
    names
}

fn exercise_names(ex: &Exercise) -> Vec<String> {
    let mut names = vec![ex.file.clone(), ex.id.clone(), ex.id.replace('-', "_")];
    if let Some((number, topic)) = ex.file.split_once('_') {
        names.push(topic.to_string());
        names.push(number.to_string());
        names.push(number.trim_start_matches('0').to_string());
    }
    names
}

fn unknown(manifest: &Manifest, name: &str) -> String {
    let wanted = normalize(name);
    let mut candidates: Vec<(usize, String)> = Vec::new();
    for stage in &manifest.stages {
        let best = stage_names(stage)
            .iter()
            .map(|n| distance(&wanted, n))
            .min();
        candidates.push((best.unwrap_or(usize::MAX), stage.id.clone()));
    }
    for ex in &manifest.exercises {
        let best = exercise_names(ex)
            .iter()
            .map(|n| distance(&wanted, n).min(substring_distance(&wanted, n)))
            .min();
        candidates.push((best.unwrap_or(usize::MAX), ex.file.clone()));
    }
    candidates.sort();
    let limit = (wanted.chars().count() / 3).max(2);
    let close: Vec<String> = candidates
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    if close.is_empty() {
        format!("no stage or exercise is called `{name}`; `cargo xtask progress` lists them all")
    } else {
        format!(
            "no stage or exercise is called `{name}`; did you mean {}?",
            close.join(" or ")
        )
    }
}

/// A name that contains the typed text counts as close (`http` finds `01_http_request`).
fn substring_distance(wanted: &str, name: &str) -> usize {
    if wanted.len() >= 3 && name.contains(wanted) {
        1
    } else {
        usize::MAX
    }
}

/// Levenshtein distance, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::parse(
            r#"
steps = ["a", "b"]
[[stage]]
id = "stage1"
dir = "stage1-fundamentals"
title = "F"
step = 1
summary = ""
[[stage]]
id = "stage2"
dir = "stage2-databases"
title = "D"
step = 2
summary = ""
[[exercise]]
id = "http-request"
stage = "stage1"
file = "01_http_request"
title = ""
roadmap = ""
hints = []
[[exercise]]
id = "crud"
stage = "stage2"
file = "01_crud"
title = ""
roadmap = ""
hints = []
[[exercise]]
id = "joins"
stage = "stage2"
file = "03_joins"
title = ""
roadmap = ""
hints = []
"#,
        )
        .unwrap()
    }

    fn exercise(name: &str) -> String {
        match resolve(&manifest(), name).unwrap() {
            Target::Exercise(e) => e.file.clone(),
            Target::Stage(s) => panic!("{name} resolved to stage {}", s.id),
        }
    }

    fn stage(name: &str) -> String {
        match resolve(&manifest(), name).unwrap() {
            Target::Stage(s) => s.id.clone(),
            Target::Exercise(e) => panic!("{name} resolved to exercise {}", e.file),
        }
    }

    #[test]
    fn stages_resolve_by_id_number_dir_and_topic() {
        for name in [
            "stage2",
            "2",
            "stage2-databases",
            "databases",
            "Stage2",
            " stage2/ ",
        ] {
            assert_eq!(stage(name), "stage2", "{name}");
        }
    }

    #[test]
    fn exercises_resolve_by_file_topic_id_and_stage_path() {
        for name in [
            "03_joins",
            "joins",
            "stage2/03",
            "2/joins",
            "stage2-databases/03_joins",
            "03_joins.rs",
        ] {
            assert_eq!(exercise(name), "03_joins", "{name}");
        }
        assert_eq!(exercise("http_request"), "01_http_request");
        assert_eq!(exercise("http-request"), "01_http_request");
        assert_eq!(exercise("stage1/01"), "01_http_request");
        assert_eq!(exercise("stage1/1"), "01_http_request");
    }

    #[test]
    fn an_ambiguous_number_asks_for_the_stage() {
        assert_eq!(
            resolve(&manifest(), "01").unwrap_err(),
            "`01` matches several exercises: stage1/01_http_request, stage2/01_crud; name the stage too, e.g. `stage1/01_http_request`"
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        assert_eq!(
            resolve(&manifest(), "jions").unwrap_err(),
            "no stage or exercise is called `jions`; did you mean `03_joins`?"
        );
        assert_eq!(
            resolve(&manifest(), "http").unwrap_err(),
            "no stage or exercise is called `http`; did you mean `01_http_request`?"
        );
        assert_eq!(
            resolve(&manifest(), "stage7").unwrap_err(),
            "no stage or exercise is called `stage7`; did you mean `stage1` or `stage2`?"
        );
    }

    #[test]
    fn a_name_far_from_everything_points_to_the_list() {
        assert_eq!(
            resolve(&manifest(), "kubernetes").unwrap_err(),
            "no stage or exercise is called `kubernetes`; `cargo xtask progress` lists them all"
        );
    }

    #[test]
    fn levenshtein_distance() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }
}
