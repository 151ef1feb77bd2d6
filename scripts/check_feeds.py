#!/usr/bin/env python3
"""Checks every feed of a built tootbridge site with Python's feedparser.

Usage: python3 scripts/check_feeds.py PUBLIC_DIR

Finds every feed.xml (RSS 2.0), atom.xml (Atom 1.0) and feed.json (JSON Feed
1.1) below PUBLIC_DIR and requires of each: feedparser reads it without
complaint (bozo == 0), it has a title, and every entry has a title, a link,
an id and a date. Prints one line per feed and a total; exits 1 on any
problem, 2 on wrong usage.

Released feedparser (6.0.x) does not read JSON Feed; with such a version,
feed.json is checked against the same rules with the json module (and the
JSON Feed 1.1 required keys), and the output says so.
"""

import json
import sys
from pathlib import Path

try:
    import feedparser
except ImportError:
    sys.exit("check_feeds.py needs feedparser: pip install feedparser")

# File name → (feedparser's version prefix, the Content-Type a server sends).
FEED_NAMES = {
    "feed.xml": ("rss20", "application/rss+xml"),
    "atom.xml": ("atom10", "application/atom+xml"),
    "feed.json": ("json1", "application/feed+json"),
}


def feedparser_reads_json() -> bool:
    return hasattr(getattr(feedparser, "parsers", None), "json")


def check_json(path: Path) -> tuple[int, list[str]]:
    """JSON Feed 1.1 checks for feedparser versions without JSON support."""
    try:
        feed = json.loads(path.read_bytes())
    except ValueError as e:
        return 0, [f"not valid JSON: {e}"]
    problems = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {feed.get('version')!r}")
    if not feed.get("title"):
        problems.append("the feed has no title")
    items = feed.get("items")
    if not isinstance(items, list):
        return 0, problems + ["no items array"]
    for number, item in enumerate(items, 1):
        name = item.get("id") or f"item {number}"
        for key in ("title", "url", "id"):
            if not str(item.get(key, "")).strip():
                problems.append(f"{name}: no {key}")
        if not (item.get("date_published") or item.get("date_modified")):
            problems.append(f"{name}: no date")
        if "content_html" not in item and "content_text" not in item:
            problems.append(f"{name}: neither content_html nor content_text")
    return len(items), problems


def check(path: Path) -> tuple[int, list[str]]:
    """Returns the number of entries and the problems found in one feed."""
    if path.name == "feed.json" and not feedparser_reads_json():
        return check_json(path)
    problems = []
    expected, content_type = FEED_NAMES[path.name]
    # feedparser tells JSON Feed from XML by the Content-Type header.
    parsed = feedparser.parse(
        path.read_bytes(), response_headers={"content-type": content_type}
    )
    if parsed.bozo:
        problems.append(f"not well-formed: {parsed.get('bozo_exception')!r}")
    if not parsed.get("version", "").startswith(expected):
        problems.append(f"read as {parsed.get('version')!r}, expected {expected}")
    if not parsed.feed.get("title"):
        problems.append("the feed has no title")
    for number, entry in enumerate(parsed.entries, 1):
        name = entry.get("id") or f"entry {number}"
        for key in ("title", "link", "id"):
            if not str(entry.get(key, "")).strip():
                problems.append(f"{name}: no {key}")
        if not (entry.get("published_parsed") or entry.get("updated_parsed")):
            problems.append(f"{name}: no date")
    return len(parsed.entries), problems


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = Path(argv[1])
    feeds = sorted(p for p in root.rglob("*") if p.name in FEED_NAMES and p.is_file())
    if not feeds:
        print(f"no feeds found below {root}", file=sys.stderr)
        return 1
    failed = 0
    entries = 0
    for path in feeds:
        count, problems = check(path)
        entries += count
        rel = path.relative_to(root)
        if problems:
            failed += 1
            print(f"FAIL {rel}: {count} entries")
            for problem in problems:
                print(f"     {problem}")
        else:
            print(f"ok   {rel}: {count} entries")
    if not feedparser_reads_json():
        print(f"(feedparser {feedparser.__version__} cannot read JSON Feed; feed.json checked with json)")
    print(f"{len(feeds)} feeds, {entries} entries, {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
