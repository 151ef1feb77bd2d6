//! The benchmark store generator, shared by `examples/gen_store.rs` and
//! `benches/build.rs`. See the example for what it writes.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Duration, TimeZone, Utc};
use sha2::{Digest, Sha256};
use tootbridge::config::Handle;
use tootbridge::error::Result;
use tootbridge::model::{
    AccountState, Media, MediaKind, Mention, Poll, PollOption, ReplyRef, Tag, Toot, Visibility,
    SCHEMA_VERSION,
};
use tootbridge::store::Store;

pub(crate) const MAX_ACCOUNTS: usize = 6;

const ACCOUNTS: [(&str, &str); MAX_ACCOUNTS] = [
    ("news", "social.example"),
    ("presse", "social.example"),
    ("digital", "amt.example"),
    ("stellen", "social.example"),
    ("events", "amt.example"),
    ("daten", "amt.example"),
];

/// splitmix64: tiny, fast, good enough for test data, and stable forever.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1/n`.
    pub(crate) fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const DE_WORDS: &[&str] = &[
    "Bürgerservice",
    "Antrag",
    "Verwaltung",
    "Digitalisierung",
    "heute",
    "morgen",
    "neue",
    "Online-Dienst",
    "Wartung",
    "Termin",
    "Veranstaltung",
    "Information",
    "wir",
    "Sie",
    "bitte",
    "informieren",
    "über",
    "die",
    "der",
    "das",
    "und",
    "mit",
    "für",
    "im",
    "am",
    "Portal",
    "Stellenangebot",
    "Bewerbung",
    "Frist",
    "Datenschutz",
    "Barrierefreiheit",
    "Open",
    "Data",
    "Haushalt",
    "Bericht",
    "veröffentlicht",
    "Ergebnisse",
    "Umfrage",
    "Kommune",
    "Land",
    "Bund",
    "Förderprogramm",
    "Klimaschutz",
    "Verkehr",
    "Bauarbeiten",
    "geschlossen",
    "geöffnet",
    "Sprechstunde",
    "Formular",
    "elektronisch",
    "Signatur",
    "Ausweis",
    "Beratung",
    "kostenlos",
];
const EN_WORDS: &[&str] = &[
    "citizen",
    "service",
    "application",
    "administration",
    "digital",
    "today",
    "tomorrow",
    "new",
    "online",
    "maintenance",
    "appointment",
    "event",
    "information",
    "we",
    "you",
    "please",
    "about",
    "the",
    "and",
    "with",
    "for",
    "in",
    "on",
    "portal",
    "vacancy",
    "deadline",
    "privacy",
    "accessibility",
    "open",
    "data",
    "budget",
    "report",
    "published",
    "results",
    "survey",
    "municipality",
    "state",
    "federal",
    "funding",
    "climate",
    "traffic",
    "closed",
    "opening",
    "hours",
    "form",
    "electronic",
    "signature",
    "advice",
    "free",
];

/// About 200 hashtags: 40 stems × 5 suffixes, some with umlauts.
fn tag_vocabulary() -> Vec<String> {
    const STEMS: &[&str] = &[
        "Verwaltung",
        "Bürgerservice",
        "OpenData",
        "Digitalisierung",
        "Barrierefreiheit",
        "Datenschutz",
        "Klimaschutz",
        "Verkehr",
        "Haushalt",
        "Stellen",
        "Ausbildung",
        "Förderung",
        "Bildung",
        "Gesundheit",
        "Wahlen",
        "Statistik",
        "Umwelt",
        "Energie",
        "Wohnen",
        "Kultur",
        "Sport",
        "Sicherheit",
        "Feuerwehr",
        "Wetter",
        "Presse",
        "Termine",
        "Forschung",
        "Innovation",
        "Nachhaltigkeit",
        "Mobilität",
        "Radverkehr",
        "Familie",
        "Jugend",
        "Senioren",
        "Integration",
        "Europa",
        "Recht",
        "Steuern",
        "Ehrenamt",
        "OpenSource",
    ];
    const SUFFIXES: &[&str] = &["", "2026", "DE", "News", "Info"];
    let mut out = Vec::new();
    for suffix in SUFFIXES {
        for stem in STEMS {
            out.push(format!("{stem}{suffix}"));
        }
    }
    out
}

/// What was written, for the example's output.
pub(crate) struct Summary {
    pub toots: usize,
    pub media_files: usize,
    pub accounts: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wrote {} toots of {} account(s) and {} media files",
            self.toots, self.accounts, self.media_files
        )
    }
}

/// Writes `site.toml` and `content/` for `count` toots into `root`.
pub(crate) fn generate(root: &Path, count: usize, seed: u64, accounts: usize) -> Result<Summary> {
    let mut rng = Rng::new(seed);
    let store = Store::new(root);
    let tags = tag_vocabulary();
    let handles: Vec<Handle> = ACCOUNTS[..accounts]
        .iter()
        .map(|(user, host)| Handle::try_from(format!("@{user}@{host}")).expect("valid handle"))
        .collect();
    write_config(root, &handles)?;
    let media_dir = store.media_dir();

    let start = Utc.with_ymd_and_hms(2022, 1, 3, 7, 0, 0).unwrap();
    let mut when = start;
    // Per account: (id, created) of its previous toot, to continue threads.
    let mut last: Vec<Option<String>> = vec![None; accounts];
    let mut media_files = 0;
    for n in 0..count {
        when += Duration::seconds(600 + rng.below(6 * 3600) as i64);
        let a = rng.below(accounts);
        let handle = &handles[a];
        let id = snowflake(when, n);
        let reply_to = match &last[a] {
            Some(prev) if rng.one_in(8) => Some(prev.clone()),
            _ => None,
        };
        let (toot, pngs) = toot(&mut rng, handle, a, &id, when, reply_to, &tags);
        for (file, bytes) in pngs {
            let path = media_dir.join(&file);
            std::fs::create_dir_all(path.parent().unwrap())
                .map_err(|e| tootbridge::error::Error::io(&path, e))?;
            std::fs::write(&path, bytes).map_err(|e| tootbridge::error::Error::io(&path, e))?;
            media_files += 1;
        }
        store.write_toot(handle, &toot)?;
        last[a] = Some(id);
    }
    for (a, handle) in handles.iter().enumerate() {
        let mut state = AccountState::new(&handle.to_string());
        state.id = Some(account_id(a));
        state.display_name = format!("Beispielamt {}", handle.user);
        state.note = format!("<p>Offizieller Kanal von {}.</p>", handle.user);
        state.url = Some(format!("https://{}/@{}", handle.host, handle.user));
        let avatar = png(&mut rng);
        let file = media_name(handle, &avatar);
        let path = media_dir.join(&file);
        std::fs::create_dir_all(path.parent().unwrap())
            .map_err(|e| tootbridge::error::Error::io(&path, e))?;
        std::fs::write(&path, &avatar).map_err(|e| tootbridge::error::Error::io(&path, e))?;
        media_files += 1;
        state.avatar = Some(file);
        state.newest_id = last[a].clone();
        store.write_state(handle, &state)?;
    }
    Ok(Summary {
        toots: count,
        media_files,
        accounts,
    })
}

fn write_config(root: &Path, handles: &[Handle]) -> Result<()> {
    let mut text = String::from(
        "# Generated by examples/gen_store.rs for benchmarks.\n\
         title = \"Beispielamt – Neuigkeiten\"\n\
         description = \"Generierte Beiträge für Leistungsmessungen.\"\n\
         base_url = \"https://www.beispielamt.example/neuigkeiten/\"\n\
         language = \"de\"\n\
         timezone = \"Europe/Berlin\"\n\n",
    );
    for h in handles {
        let _ = writeln!(text, "[[accounts]]\nhandle = \"{h}\"\n");
    }
    text.push_str(
        "[select]\nvisibility = [\"public\"]\nreplies = \"self\"\nboosts = false\n\n\
         [pages]\nper_page = 20\n\n[feeds]\nitems = 50\n",
    );
    let path = root.join("site.toml");
    std::fs::create_dir_all(root).map_err(|e| tootbridge::error::Error::io(root, e))?;
    std::fs::write(&path, text).map_err(|e| tootbridge::error::Error::io(&path, e))
}

fn account_id(a: usize) -> String {
    format!("10900000000000000{a}")
}

/// Mastodon-style id: milliseconds since the epoch shifted by 16 bits, plus a
/// sequence number in the low bits.
fn snowflake(when: DateTime<Utc>, n: usize) -> String {
    let ms = when.timestamp_millis() as u64;
    ((ms << 16) | (n as u64 & 0xFFFF)).to_string()
}

#[allow(clippy::too_many_arguments)]
fn toot(
    rng: &mut Rng,
    handle: &Handle,
    account: usize,
    id: &str,
    when: DateTime<Utc>,
    reply_to: Option<String>,
    vocabulary: &[String],
) -> (Toot, Vec<(String, Vec<u8>)>) {
    let german = !rng.one_in(4);
    let words = if german { DE_WORDS } else { EN_WORDS };
    // Length: mostly short, some long, capped near Mastodon's 500 characters.
    let target = match rng.below(10) {
        0..=2 => 20 + rng.below(60),
        3..=7 => 80 + rng.below(200),
        _ => 280 + rng.below(200),
    };
    let mut tags: Vec<&String> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let tag = rng.pick(vocabulary);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut html = String::from("<p>");
    let mut chars = 0;
    let mut sentence_start = true;
    let mut mentions = Vec::new();
    while chars < target {
        let word = *rng.pick(words);
        if !sentence_start {
            html.push(' ');
        }
        if sentence_start {
            let mut c = word.chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            html.push_str(&first);
            html.push_str(c.as_str());
        } else {
            html.push_str(word);
        }
        chars += word.chars().count() + 1;
        sentence_start = false;
        match rng.below(40) {
            0..=4 => {
                html.push('.');
                sentence_start = true;
            }
            5 => html.push_str(", "),
            6 if chars + 40 < target => {
                let path = rng.below(1000);
                let _ = write!(
                    html,
                    " <a href=\"https://beispielamt.example/info/{path}\" target=\"_blank\" \
                     rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://\
                     </span><span class=\"\">beispielamt.example/info/{path}</span><span \
                     class=\"invisible\"></span></a>"
                );
                chars += 30;
            }
            7 if mentions.is_empty() => {
                let user = *rng.pick(&["presse", "digital", "stadt", "landesamt"]);
                let _ = write!(
                    html,
                    " <span class=\"h-card\" translate=\"no\"><a href=\"https://social.example/@{user}\" \
                     class=\"u-url mention\">@<span>{user}</span></a></span>"
                );
                mentions.push(Mention {
                    id: None,
                    username: user.to_string(),
                    acct: user.to_string(),
                    url: format!("https://social.example/@{user}"),
                });
                chars += user.len() + 2;
            }
            8 if rng.one_in(3) => {
                html.push_str("</p><p>");
                sentence_start = true;
            }
            _ => {}
        }
    }
    if !sentence_start {
        html.push('.');
    }
    html.push_str("</p><p>");
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            html.push(' ');
        }
        let _ = write!(
            html,
            "<a href=\"https://{host}/tags/{enc}\" class=\"mention hashtag\" rel=\"tag\">#<span>{tag}</span></a>",
            host = handle.host,
            enc = percent_encoding::utf8_percent_encode(tag, percent_encoding::NON_ALPHANUMERIC),
        );
    }
    html.push_str("</p>");

    let mut pngs = Vec::new();
    let mut media = Vec::new();
    if rng.one_in(3) {
        for i in 0..1 + rng.below(3) {
            let bytes = png(rng);
            let file = media_name(handle, &bytes);
            let (w, h) = (PNG_SIDE, PNG_SIDE);
            media.push(Media {
                id: format!("{id}{i}"),
                kind: MediaKind::Image,
                remote_url: format!(
                    "https://{}/system/media_attachments/files/{id}/{i}.png",
                    handle.host
                ),
                file: Some(file.clone()),
                preview_file: None,
                preview_width: None,
                preview_remote_url: None,
                mime: Some("image/png".into()),
                size: Some(bytes.len() as u64),
                description: (!rng.one_in(5)).then(|| {
                    if german {
                        format!("Foto {}: {}", i + 1, rng.pick(DE_WORDS))
                    } else {
                        format!("Photo {}: {}", i + 1, rng.pick(EN_WORDS))
                    }
                }),
                width: Some(w),
                height: Some(h),
                duration: None,
                blurhash: None,
                focus: None,
            });
            pngs.push((file, bytes));
        }
    }
    let poll = rng.one_in(25).then(|| {
        let options: Vec<PollOption> = (0..2 + rng.below(3))
            .map(|i| PollOption {
                title: format!("{} {}", if german { "Option" } else { "Choice" }, i + 1),
                votes_count: Some(rng.below(500) as u64),
            })
            .collect();
        Poll {
            expires_at: Some(when + Duration::days(1)),
            expired: true,
            multiple: rng.one_in(3),
            votes_count: options.iter().filter_map(|o| o.votes_count).sum(),
            voters_count: None,
            options,
        }
    });
    let spoiler_text = if rng.one_in(15) {
        if german {
            "Hinweis: Bauarbeiten".to_string()
        } else {
            "Note: construction work".to_string()
        }
    } else {
        String::new()
    };
    let toot = Toot {
        schema: SCHEMA_VERSION,
        id: id.to_string(),
        uri: format!(
            "https://{}/users/{}/statuses/{id}",
            handle.host, handle.user
        ),
        url: Some(format!("https://{}/@{}/{id}", handle.host, handle.user)),
        created_at: when,
        edited_at: rng
            .one_in(20)
            .then(|| when + Duration::minutes(5 + rng.below(60) as i64)),
        visibility: if rng.one_in(30) {
            Visibility::Unlisted
        } else {
            Visibility::Public
        },
        language: Some(if german { "de" } else { "en" }.to_string()),
        title: None,
        content: html,
        sensitive: !spoiler_text.is_empty() && !media.is_empty(),
        spoiler_text,
        pinned: false,
        media,
        poll: poll.map(Box::new),
        card: None,
        emojis: Vec::new(),
        tags: tags
            .iter()
            .map(|t| Tag {
                name: t.to_string(),
            })
            .collect(),
        mentions,
        in_reply_to: reply_to.map(|prev| {
            Box::new(ReplyRef {
                url: Some(format!("https://{}/@{}/{prev}", handle.host, handle.user)),
                id: prev,
                account_id: Some(account_id(account)),
            })
        }),
        reblog: None,
        quote: None,
    };
    (toot, pngs)
}

fn media_name(handle: &Handle, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}/{}/{hex}.png", handle.host, handle.user)
}

const PNG_SIDE: u32 = 8;

/// A real 8×8 RGB PNG of random colours (about 270 bytes), stored
/// uncompressed inside a valid zlib stream.
fn png(rng: &mut Rng) -> Vec<u8> {
    let side = PNG_SIDE as usize;
    let mut raw = Vec::with_capacity(side * (1 + 3 * side));
    for _ in 0..side {
        raw.extend_from_slice(&[0]); // filter: none
        for _ in 0..side {
            let c = rng.next();
            raw.extend_from_slice(&c.to_le_bytes()[..3]);
        }
    }
    let mut zlib = vec![0x78, 0x01, 1];
    let len = raw.len() as u16;
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(&raw);
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&PNG_SIDE.to_be_bytes());
    ihdr.extend_from_slice(&PNG_SIDE.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}
