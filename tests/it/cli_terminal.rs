//! The command line as a person at a terminal sees it: colour only on a
//! terminal and never with `NO_COLOR`, and Ctrl-C ending `serve --sync`
//! once its sync is done.

use std::process::Command;

use crate::support::{bin, example_site};
use crate::sync_support::{account, instance_with, site};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs the binary with a pseudo-terminal as its standard error (through
/// util-linux's `script`), so it sees a terminal.
fn on_a_terminal(args: &str, no_color: bool) -> String {
    let mut command = Command::new("script");
    command
        .args(["-qec", &format!("{} {args}", bin().display()), "/dev/null"])
        .env_remove("NO_COLOR");
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let out = command.output().expect("script(1) from util-linux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color() {
    let site = example_site();
    let args = format!("--root {} build", site.path().display());
    // The example site warns about a not-mirrored attachment: a WARN line.
    let tty = on_a_terminal(&args, false);
    assert!(tty.contains("WARN"), "{tty}");
    assert!(tty.contains('\u{1b}'), "a terminal gets colour: {tty:?}");
    let no_color = on_a_terminal(&args, true);
    assert!(no_color.contains("WARN"), "{no_color}");
    assert!(!no_color.contains('\u{1b}'), "NO_COLOR: {no_color:?}");
    // Not a terminal (a CI log): no escape codes even without NO_COLOR.
    let piped = Command::new(bin())
        .args(["--root", site.path().to_str().unwrap(), "build", "--output"])
        .arg(site.path().join("other"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(stderr(&piped).contains("WARN"), "{}", stderr(&piped));
    assert!(!stderr(&piped).contains('\u{1b}'), "{:?}", stderr(&piped));
}

#[test]
fn serve_sync_syncs_first_and_ctrl_c_still_ends_the_preview() {
    use std::io::BufRead;
    let fake = instance_with(3);
    let dir = site(&account("@news@social.example", &fake), "");
    let mut child = Command::new(bin())
        .args([
            "--root",
            dir.path().to_str().unwrap(),
            "serve",
            "--port",
            "0",
            "--sync",
        ])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut before = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("http://127.0.0.1:") {
            break;
        }
        before.push(line);
    }
    assert!(
        before.iter().any(|l| l.contains("synced: 3 added")),
        "{before:?}"
    );
    assert!(crate::sync_support::stored_ids(dir.path()).len() == 3);
    // The preview writes nothing, so the first Ctrl-C ends it.
    let kill = Command::new("kill")
        .args(["-s", "INT", &child.id().to_string()])
        .status();
    assert!(kill.unwrap().success());
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("serve did not end on SIGINT");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
}
