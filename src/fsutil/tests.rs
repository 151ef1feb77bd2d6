//! Unit tests of `fsutil.rs`.

use super::*;

#[test]
fn only_our_temporary_names_count() {
    assert_eq!(temp_owner(".index.html.tmp-1234-a1B2c3"), Some(1234));
    assert_eq!(temp_owner(".index.html.tmp-1234"), Some(1234));
    assert_eq!(temp_owner(".import-77.tmp"), Some(77));
    for not_ours in [
        "index.html.tmp-1234-abc",
        ".index.html.tmp-",
        ".index.html.tmp--abc",
        ".index.html.tmp-12-",
        ".index.html.tmp-12-a.b",
        ".tmp-12",
        ".a.tmp-12x",
        ".import-.tmp",
        ".import-12.tmpx",
        "import-12.tmp",
        ".page.html",
    ] {
        assert_eq!(temp_owner(not_ours), None, "{not_ours}");
    }
}

#[test]
fn temporary_files_are_named_by_the_scheme_and_unique() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("a.png");
    let one = temp_file(&target).unwrap();
    let two = temp_file(&target).unwrap();
    assert_ne!(one.path(), two.path());
    for tmp in [&one, &two] {
        let name = tmp.path().file_name().unwrap().to_str().unwrap();
        assert_eq!(temp_owner(name), Some(std::process::id()), "{name}");
    }
    drop((one, two));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "dropped = gone"
    );
}

#[test]
fn two_threads_writing_one_target_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("6b7fa434f92a8b80.png");
    // Large enough that the two writes overlap; of different lengths so
    // a mix of both would show.
    let a = vec![b'a'; 256 * 1024];
    let b = vec![b'b'; 256 * 1024 + 7];
    for round in 0..40 {
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<Result<()>> = std::thread::scope(|s| {
            let writers: Vec<_> = [&a, &b]
                .into_iter()
                .map(|bytes| {
                    let (barrier, target) = (&barrier, &target);
                    s.spawn(move || {
                        barrier.wait();
                        write_atomic(target, bytes, false)
                    })
                })
                .collect();
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        for result in results {
            result.unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
        let got = fs::read(&target).unwrap();
        assert!(
            got == a || got == b,
            "round {round}: torn ({} bytes)",
            got.len()
        );
    }
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        [target.file_name().unwrap()],
        "no temporary file left"
    );
}

#[test]
fn stale_temps_go_and_live_ones_stay() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a/b");
    fs::create_dir_all(&sub).unwrap();
    // No process has this id (above the kernel's pid_max).
    let dead = 4_294_967_295u32;
    let stale = [
        sub.join(format!(".page.html.tmp-{dead}-Ab12cd")),
        sub.join(format!(".page.html.tmp-{dead}")),
        sub.join(format!(".import-{dead}.tmp")),
    ];
    let live = sub.join(format!(".page.html.tmp-{}-Ab12cd", std::process::id()));
    let other = sub.join(".page.html");
    for path in stale.iter().chain([&live, &other]) {
        fs::write(path, b"x").unwrap();
    }
    let removed = remove_stale_temps(dir.path());
    if Path::new("/proc/self").exists() {
        assert_eq!(removed, 3);
        assert!(stale.iter().all(|p| !p.exists()));
    }
    assert!(live.exists() && other.exists());
}
