//! Mastodon's sanitizer expectations, re-expressed in
//! `tests/fixtures/sanitizer_cases.txt`, checked against our policy.

use tootbridge::testing::sanitize::{clean, Context};

use crate::support::{read, repo};

struct Case {
    name: String,
    input: String,
    checks: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text = read(repo().join("tests/fixtures/sanitizer_cases.txt"));
    let mut cases: Vec<Case> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if let Some(name) = line.strip_prefix("== ") {
            cases.push(Case {
                name: name.to_string(),
                input: String::new(),
                checks: Vec::new(),
            });
        } else {
            let case = cases.last_mut().expect("a case starts with ==");
            if case.input.is_empty() {
                case.input = line.to_string();
            } else {
                case.checks.push(line.to_string());
            }
        }
    }
    cases
}

#[test]
fn mastodon_expectations_hold() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let out = clean(&case.input, &Context::default()).into_string();
        for check in &case.checks {
            let ok = if let Some(expected) = check.strip_prefix("=>") {
                out == expected.strip_prefix(' ').unwrap_or(expected)
            } else if let Some(absent) = check.strip_prefix("!~ ") {
                !out.contains(absent)
            } else if let Some(present) = check.strip_prefix("~ ") {
                out.contains(present)
            } else {
                panic!("case {:?}: unknown check {check:?}", case.name);
            };
            if !ok {
                failures.push(format!("{}: {check}\n   got {out}", case.name));
            }
        }
    }
    println!("sanitizer cases: {} checked", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
