//! Writes a realistic, deterministic test site for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_store -- --toots 10000 --out DIR [--seed N] [--accounts 3]
//! ```
//!
//! DIR gets a `site.toml` and a complete `content/` in our store schema, written
//! through [`Store::write_toot`] and [`Store::write_state`], so every file is
//! exactly what `sync` would write. The toots are spread over `--accounts`
//! accounts on two instances and look like an agency's timeline: German and
//! English, texts from one line to about 500 characters, two or three of about
//! 200 hashtags each, links and mentions, a third with one to three small
//! images (real PNG files in `content/media`), self-reply threads, polls,
//! content warnings. The same seed always gives the same bytes.
//!
//! The generator itself lives in `benches/gen/mod.rs`, shared with the
//! criterion benches.

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut toots = 10_000usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut accounts = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--toots" => toots = parse(&value("--toots")),
            "--out" => out = Some(PathBuf::from(value("--out"))),
            "--seed" => seed = parse(&value("--seed")),
            "--accounts" => accounts = parse(&value("--accounts")),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let Some(out) = out else {
        usage("--out DIR is required")
    };
    if accounts == 0 || accounts > gen::MAX_ACCOUNTS {
        usage(&format!("--accounts must be 1..={}", gen::MAX_ACCOUNTS));
    }
    match gen::generate(&out, toots, seed, accounts) {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_store: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse<T: std::str::FromStr>(s: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| usage(&format!("not a number: {s}")))
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("gen_store: {problem}");
    }
    eprintln!("usage: gen_store --toots N --out DIR [--seed N] [--accounts 1..=6]");
    std::process::exit(2)
}
