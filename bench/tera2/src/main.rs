//! Tera 1 against Tera 2 on tootbridge's toot page (issue 19, point 3).
//!
//! Reads the contexts of real toot pages (dumped by `run.sh`: a build whose
//! `toot.html` prints `{{ __tera_context }}`), renders each with Tera 1 and
//! with Tera 2 from the built-in theme's templates (`run.sh` passes the same
//! folder twice; a second folder allows comparing a port), checks the outputs (Tera 1 against the real build's pages,
//! Tera 2 against Tera 1) and times `ROUNDS` passes over all contexts per
//! engine, alternating the engines so the machine's load hits both alike.
//!
//! usage: tera2-bench CONTEXTS_OUT REFERENCE_OUT THEME_TEMPLATES PORT_TEMPLATES [ROUNDS [ONLY]]
//!
//! ONLY (`1` or `2`) times one engine and skips the check, for counting
//! instructions: `valgrind --tool=callgrind` with ROUNDS 0 and 10 gives
//! 10 passes' instructions as the difference.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

type Fail = Box<dyn std::error::Error>;

fn main() -> Result<(), Fail> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!(
            "usage: tera2-bench CONTEXTS_OUT REFERENCE_OUT THEME_TEMPLATES PORT_TEMPLATES [ROUNDS [ONLY]]"
        );
        std::process::exit(2);
    }
    let rounds: usize = args.get(4).map(|r| r.parse()).transpose()?.unwrap_or(7);
    let only: Option<u8> = args.get(5).map(|r| r.parse()).transpose()?;
    let pages = load_contexts(Path::new(&args[0]))?;
    let reference = Path::new(&args[1]);
    let engine1 = tera1_engine(Path::new(&args[2]))?;
    let engine2 = tera2_engine(Path::new(&args[3]))?;
    println!(
        "{} toot page contexts; Tera 1.20.1 and Tera 2.4.0{}",
        pages.len(),
        if cfg!(feature = "fast") {
            " (feature \"fast\")"
        } else {
            ""
        }
    );

    // The engines' own context types, made once: the timing is the render.
    let ctx1: Vec<tera1::Context> = pages
        .iter()
        .map(|(_, v)| tera1::Context::from_value(v.clone()))
        .collect::<Result<_, _>>()?;
    let ctx2: Vec<tera2::Context> = pages
        .iter()
        .map(|(_, v)| tera2::Context::from_serialize(v))
        .collect::<Result<_, _>>()?;

    if let Some(only) = only {
        let mut sink = 0usize;
        for _ in 0..rounds {
            for i in 0..pages.len() {
                sink += match only {
                    1 => engine1.render("toot.html", &ctx1[i])?.len(),
                    _ => engine2.render("toot.html", &ctx2[i])?.len(),
                };
            }
        }
        println!("Tera {only}: {rounds} passes, {sink} bytes");
        return Ok(());
    }

    // Correctness first: a faster engine that prints other pages is no use.
    let (mut same_as_build, mut same_as_tera1, mut bytes) = (0, 0, 0);
    for (i, (id, _)) in pages.iter().enumerate() {
        let one = engine1.render("toot.html", &ctx1[i])?;
        let two = engine2.render("toot.html", &ctx2[i])?;
        bytes += one.len();
        let built = fs::read_to_string(reference.join(format!("toots/{id}/index.html")))?;
        if one == built {
            same_as_build += 1;
        } else if same_as_build == i {
            report_diff(&format!("Tera 1 vs the build, toot {id}"), &built, &one);
        }
        if two == one {
            same_as_tera1 += 1;
        } else if same_as_tera1 == i {
            report_diff(&format!("Tera 2 vs Tera 1, toot {id}"), &one, &two);
        }
    }
    println!(
        "identical: Tera 1 = build on {same_as_build}/{n}, Tera 2 = Tera 1 on {same_as_tera1}/{n}; {kib} KiB per pass",
        n = pages.len(),
        kib = bytes / 1024
    );

    let mut times1 = Vec::new();
    let mut times2 = Vec::new();
    let mut sink = 0usize;
    for round in 0..=rounds {
        let t = Instant::now();
        for c in &ctx1 {
            sink += engine1.render("toot.html", c)?.len();
        }
        let one = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for c in &ctx2 {
            sink += engine2.render("toot.html", c)?.len();
        }
        let two = t.elapsed().as_secs_f64();
        // Round 0 warms caches and the allocator; it is not counted.
        if round > 0 {
            times1.push(one);
            times2.push(two);
            println!("round {round}: Tera 1 {one:.3} s, Tera 2 {two:.3} s");
        }
    }
    std::hint::black_box(sink);
    let (m1, m2) = (median(&mut times1), median(&mut times2));
    let per = |s: f64| s * 1e6 / pages.len() as f64;
    println!(
        "median of {rounds} passes: Tera 1 {m1:.3} s ({:.1} µs/page), Tera 2 {m2:.3} s ({:.1} µs/page); Tera 1 / Tera 2 = {:.2}x",
        per(m1),
        per(m2),
        m1 / m2
    );
    Ok(())
}

/// `toots/<id>/index.html` of the dump build: each file is one page's
/// context as JSON. Sorted by id, so runs are alike.
fn load_contexts(out: &Path) -> Result<Vec<(String, serde_json::Value)>, Fail> {
    let mut pages = Vec::new();
    for entry in fs::read_dir(out.join("toots"))? {
        let dir = entry?.path();
        let file = dir.join("index.html");
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{}: not a context dump: {e}", file.display()))?;
        let id = dir.file_name().unwrap().to_string_lossy().into_owned();
        pages.push((id, value));
    }
    if pages.is_empty() {
        return Err(format!("no toots/*/index.html in {}", out.display()).into());
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(pages)
}

/// Every `*.html` below `dir`, named by its `/`-separated relative path.
fn templates(dir: &Path) -> Result<Vec<(String, String)>, Fail> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), Fail> {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "html") {
                let name = path
                    .strip_prefix(root)?
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((name, fs::read_to_string(&path)?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}

/// Tera 1 set up as `src/render/theme.rs` does it.
fn tera1_engine(dir: &Path) -> Result<tera1::Tera, Fail> {
    let mut tera = tera1::Tera::default();
    tera.add_raw_templates(templates(dir)?)?;
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape);
    Ok(tera)
}

fn tera2_engine(dir: &Path) -> Result<tera2::Tera, Fail> {
    let mut tera = tera2::Tera::new();
    tera.add_raw_templates(templates(dir)?)?;
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_to);
    Ok(tera)
}

/// The entities tootbridge's escape writes (`sanitize::escape`): `/` stays.
fn entity(b: u8) -> Option<&'static str> {
    Some(match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => return None,
    })
}

fn escape(value: &str) -> String {
    let mut out = Vec::with_capacity(value.len() + value.len() / 8);
    escape_to(value, &mut out).expect("a Vec takes every write");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

fn escape_to(value: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        if let Some(e) = entity(b) {
            out.write_all(&value.as_bytes()[start..i])?;
            out.write_all(e.as_bytes())?;
            start = i + 1;
        }
    }
    out.write_all(&value.as_bytes()[start..])
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Prints where two renders of a page first differ (the first such page).
fn report_diff(what: &str, want: &str, got: &str) {
    let at = want
        .bytes()
        .zip(got.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(got.len()));
    let show = |s: &str| {
        let start = s.floor_char_boundary(at.saturating_sub(80));
        let end = s.floor_char_boundary((at + 80).min(s.len()));
        s[start..end].to_string()
    };
    println!(
        "first difference, {what}, at byte {at}:\n  want …{}…\n  got  …{}…",
        show(want),
        show(got)
    );
}
