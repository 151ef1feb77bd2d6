//! Shipping: the pipelines `init --ci` writes (one source of truth with the
//! README), shell completions and the man page. The pipelines themselves
//! run in `.ci/run` (scripts/pipeline-check); here we check what a user gets
//! on disk and the rules every pipeline keeps.

use tootbridge::CiSystem;

use crate::support::{read, repo, tootbridge};

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn flag(system: CiSystem) -> &'static str {
    match system {
        CiSystem::Gitlab => "gitlab",
        CiSystem::Github => "github",
    }
}

#[test]
fn init_ci_writes_the_template_into_a_new_site_that_builds() {
    for system in CiSystem::ALL {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let site_arg = site.to_str().unwrap();
        ok(&tootbridge(&["init", site_arg, "--ci", flag(system)]));
        assert_eq!(read(site.join(system.path())), system.template());
        assert!(site.join("site.toml").is_file());
        // Only the one pipeline asked for.
        for other in CiSystem::ALL.into_iter().filter(|s| *s != system) {
            assert!(!site.join(other.path()).exists(), "{other:?} written too");
        }
        ok(&tootbridge(&["--root", site_arg, "build"]));
    }
}

#[test]
fn init_ci_in_an_existing_site_adds_only_the_pipeline_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    ok(&tootbridge(&["init", root, "--title", "Amt"]));
    let site_toml = read(dir.path().join("site.toml"));
    for system in CiSystem::ALL {
        let out = ok(&tootbridge(&["init", root, "--ci", flag(system)]));
        assert!(out.contains(system.name()), "{out}");
        assert_eq!(read(dir.path().join(system.path())), system.template());
        assert_eq!(read(dir.path().join("site.toml")), site_toml);
        assert!(!dir.path().join("themes").exists());
    }
    // An edited pipeline is the site's own: a second init refuses and
    // names the file.
    let gitlab = dir.path().join(CiSystem::Gitlab.path());
    std::fs::write(&gitlab, "# edited\n").unwrap();
    let again = tootbridge(&["init", root, "--ci", "gitlab"]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains(".gitlab-ci.yml"), "{stderr}");
    assert_eq!(read(&gitlab), "# edited\n");
}

#[test]
fn init_ci_refuses_before_writing_a_new_site() {
    // A pipeline already in the folder (a repository set up first): no
    // site.toml is left behind by the refusal.
    let dir = tempfile::tempdir().unwrap();
    let pipeline = dir.path().join(CiSystem::Github.path());
    std::fs::create_dir_all(pipeline.parent().unwrap()).unwrap();
    std::fs::write(&pipeline, "name: ours\n").unwrap();
    let out = tootbridge(&["init", dir.path().to_str().unwrap(), "--ci", "github"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("site.toml").exists());
    assert_eq!(read(&pipeline), "name: ours\n");
}

#[test]
fn init_ci_with_an_unknown_system_is_wrong_usage() {
    let dir = tempfile::tempdir().unwrap();
    let out = tootbridge(&["init", dir.path().to_str().unwrap(), "--ci", "jenkins"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("site.toml").exists());
}

#[test]
fn the_readme_shows_each_pipeline_exactly() {
    let readme = read(repo().join("README.md"));
    for system in CiSystem::ALL {
        let block = format!("```yaml\n{}```\n", system.template());
        assert!(
            readme.contains(&block),
            "README.md does not show {} exactly as `init --ci {}` writes it",
            system.path().display(),
            flag(system)
        );
    }
}

#[test]
fn every_pipeline_keeps_the_rules() {
    for system in CiSystem::ALL {
        let text = system.template();
        let name = system.path().display();
        // A failed commit or push must fail the job.
        assert!(
            !text.contains("|| true"),
            "{name}: `|| true` hides failures"
        );
        for needed in [
            "tootbridge build --sync",
            "tootbridge check --strict",
            "[skip ci]",
            "git rebase FETCH_HEAD",
            "git checkout --quiet --detach FETCH_HEAD",
            "for dir in content/toots content/media content/state; do",
            "git diff --cached --quiet",
            "TOOTBRIDGE_PUSH_URL",
            "TOOTBRIDGE_RELEASE_URL",
            "if ! command -v tootbridge",
        ] {
            assert!(text.contains(needed), "{name} lacks {needed:?}");
        }
        // Nothing but the store is staged: the only `git add` is the loop's.
        assert_eq!(text.matches("git add").count(), 1, "{name}");
        assert!(!text.contains("cargo"), "{name} compiles tootbridge");
    }
    let gitlab = CiSystem::Gitlab.template();
    for needed in [
        "\npages:\n",
        "    paths: [public]\n",
        "  allow_failure: true\n",
        "$CI_PIPELINE_SOURCE == \"schedule\"",
        "$CI_PIPELINE_SOURCE == \"push\" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH",
        "-o ci.skip",
        "TOOTBRIDGE_PUSH_TOKEN",
    ] {
        assert!(gitlab.contains(needed), ".gitlab-ci.yml lacks {needed:?}");
    }
    let github = CiSystem::Github.template();
    for needed in [
        "  schedule:\n",
        "  push:\n",
        "github.ref_name == github.event.repository.default_branch",
        "      contents: write\n",
        "      pages: write\n",
        "      id-token: write\n",
        "      name: github-pages\n",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "    continue-on-error: true\n",
    ] {
        assert!(github.contains(needed), "tootbridge.yml lacks {needed:?}");
    }
    // upload-pages-artifact leaves dot-files out unless told otherwise; the
    // build's .tootbridge-* bookkeeping must stay out of what Pages serves.
    assert!(!github.contains("include-hidden-files:"), "tootbridge.yml");
}

/// The shell lines of the GitLab `pages` job's `script:` (the job ends at
/// the first blank line).
fn gitlab_pages_script() -> Vec<&'static str> {
    let template = CiSystem::Gitlab.template();
    let job = &template[template.find("\npages:\n").expect("a pages job")..];
    let job = &job[..job[1..].find("\n\n").map_or(job.len(), |end| end + 1)];
    let script = &job[job.find("  script:\n").expect("pages has a script")..];
    script
        .lines()
        .skip(1)
        .map_while(|line| line.strip_prefix("    - "))
        .collect()
}

#[test]
fn the_gitlab_pages_job_publishes_the_site_without_the_bookkeeping() {
    // The output folder keeps the build's records (they travel with it for
    // the next build), but Pages must not serve them. Run the pages job's
    // own script on a real build: every record goes, every site file stays.
    use crate::support::every_file;
    use tootbridge::testing::output::{record, MANIFEST, RENDER_RECORD, TOOT_INDEX};
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    ok(&tootbridge(&[
        "init",
        site.to_str().unwrap(),
        "--ci",
        "gitlab",
    ]));
    ok(&tootbridge(&["--root", site.to_str().unwrap(), "build"]));
    let public = site.join("public");
    for name in [record::FILE, RENDER_RECORD, TOOT_INDEX, MANIFEST] {
        assert!(public.join(name).is_file(), "the build wrote no {name}");
    }
    // The mark a killed build leaves (README: "What `build` writes").
    std::fs::write(public.join(".tootbridge-staging"), "").unwrap();
    let is_bookkeeping = |path: &str| !path.contains('/') && path.starts_with(".tootbridge-");
    let site_files: Vec<_> = every_file(&public)
        .into_iter()
        .filter(|(path, _)| !is_bookkeeping(path))
        .collect();
    assert!(site_files.iter().any(|(path, _)| path == "index.html"));

    let script = gitlab_pages_script();
    assert!(script.len() >= 2, "{script:?}");
    let out = std::process::Command::new("sh")
        .arg("-ec")
        .arg(script.join("\n"))
        .current_dir(&site)
        .output()
        .expect("sh runs");
    ok(&out);
    let published = every_file(&public);
    let left: Vec<&str> = published
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|path| is_bookkeeping(path))
        .collect();
    assert!(left.is_empty(), "Pages would publish {left:?}");
    assert!(
        published == site_files,
        "the pages job changed the site itself"
    );
}

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let markers = [
        ("bash", "complete -F _tootbridge"),
        ("zsh", "#compdef tootbridge"),
        ("fish", "complete -c tootbridge"),
        ("elvish", "tootbridge"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, marker) in markers {
        let script = ok(&tootbridge(&["completions", shell]));
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for sub in ["init", "sync", "build", "serve", "import", "check"] {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
        assert!(script.contains("eject-theme"), "{shell}: no flags");
    }
    let wrong = tootbridge(&["completions", "tcsh"]);
    assert_eq!(wrong.status.code(), Some(2));
}

#[test]
fn the_bash_completion_loads_in_bash() {
    let script = ok(&tootbridge(&["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tootbridge.bash");
    std::fs::write(&file, script).unwrap();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("source \"$1\" && complete -p tootbridge")
        .arg("bash")
        .arg(&file)
        .output()
        .expect("bash runs");
    let shown = ok(&out);
    assert!(shown.contains("tootbridge"), "{shown}");
}

#[test]
fn the_man_pages_are_roff_for_section_1_one_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(&tootbridge(&["man", dir.path().to_str().unwrap()]));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let subs = [
        "build",
        "check",
        "completions",
        "import",
        "init",
        "serve",
        "sync",
    ];
    let mut expected: Vec<String> = subs.iter().map(|s| format!("tootbridge-{s}.1")).collect();
    expected.push("tootbridge.1".into());
    expected.sort();
    assert_eq!(
        names, expected,
        "the hidden `man` has no page; every other command has one"
    );
    assert_eq!(out.lines().count(), expected.len(), "{out}");
    let main = read(dir.path().join("tootbridge.1"));
    assert!(main.contains(".TH tootbridge 1"), "{main}");
    for sub in subs {
        // The main page names each command's own page.
        assert!(main.contains(&format!("tootbridge\\-{sub}(1)")), "no {sub}");
        let page = read(dir.path().join(format!("tootbridge-{sub}.1")));
        assert!(
            page.contains(&format!(".TH tootbridge-{sub} 1")),
            "{sub}: {}",
            &page[..300.min(page.len())]
        );
    }
    assert!(read(dir.path().join("tootbridge-init.1")).contains("eject\\-theme"));
    let help = ok(&tootbridge(&["--help"]));
    assert!(!help.contains("\n  man "), "{help}");
    assert!(help.contains("completions"));
}

#[test]
fn a_sync_with_nothing_new_changes_no_store_file_for_any_account_size() {
    // The pipelines commit the store when a file changed. An account
    // smaller than one page (listing runs to its end on every sync) and one
    // of several pages: the second sync must leave every file as it was,
    // or every scheduled run would push a commit.
    use crate::support::read_tree;
    use crate::sync_support::{account, instance_with, only, run, site};
    for toots in [3, 100] {
        let fake = instance_with(toots);
        let dir = site(&account("@news@social.example", &fake), "");
        assert!(only(&run(dir.path())).ok);
        let before = read_tree(&dir.path().join("content"));
        let again = run(dir.path());
        let a = only(&again);
        assert!(a.ok, "{:?}", a.errors);
        assert_eq!((a.added, a.edited, a.deleted), (0, 0, 0));
        let after = read_tree(&dir.path().join("content"));
        let changed: Vec<&str> = after
            .iter()
            .filter(|file| !before.contains(file))
            .map(|(path, _)| path.as_str())
            .collect();
        assert!(changed.is_empty(), "{toots} toots: changed {changed:?}");
    }
}
