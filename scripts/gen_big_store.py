#!/usr/bin/env python3
"""Writes a site with N generated toots (default 100,000) for memory and
speed measurements of `tootbridge build`:

    python3 scripts/gen_big_store.py /tmp/big 100000
    /usr/bin/time -v tootbridge build --root /tmp/big

Toots are shaped like the example site's: a paragraph or two of text, two
hashtags, every 10th a content warning, every 7th a reply to the one before
(a thread), every 13th unlisted (not published by default)."""

import json
import os
import sys
from datetime import datetime, timedelta, timezone

root = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
toots = os.path.join(root, "content", "toots", "social.example", "news")
os.makedirs(toots, exist_ok=True)
os.makedirs(os.path.join(root, "content", "state", "social.example"), exist_ok=True)
with open(os.path.join(root, "site.toml"), "w") as f:
    f.write('title = "Big"\nbase_url = "https://example.org/news/"\n'
            '[[accounts]]\nhandle = "@news@social.example"\n')
with open(os.path.join(root, "content", "state", "social.example", "news.json"), "w") as f:
    json.dump({"schema": 1, "handle": "@news@social.example",
               "id": "109000000000000001", "display_name": "News"}, f)
start = datetime(2020, 1, 1, tzinfo=timezone.utc)
tags = ["Verwaltung", "Digitalisierung", "Service", "Termine", "Stellen", "Bauen"]
for i in range(count):
    tid = str(110_000_000_000_000_000 + i * 1000)
    t1, t2 = tags[i % 6], tags[(i // 6) % 6]
    toot = {
        "schema": 1, "id": tid,
        "uri": f"https://social.example/users/news/statuses/{tid}",
        "url": f"https://social.example/@news/{tid}",
        "created_at": (start + timedelta(minutes=30 * i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "visibility": "unlisted" if i % 13 == 0 else "public",
        "language": "de",
        "content": f"<p>Meldung {i}: Das Beispielamt informiert über Öffnungszeiten, "
                   f"Termine und neue Online-Dienste. Mehr unter "
                   f"<a href=\"https://beispielamt.example/{i}\">beispielamt.example/{i}</a>.</p>"
                   f"<p><a href=\"https://social.example/tags/{t1}\" class=\"mention hashtag\">#<span>{t1}</span></a> "
                   f"<a href=\"https://social.example/tags/{t2}\" class=\"mention hashtag\">#<span>{t2}</span></a></p>",
        "tags": [{"name": t1}, {"name": t2}],
    }
    if i % 10 == 0:
        toot["spoiler_text"] = f"Hinweis {i}"
    if i % 7 == 1 and i > 0:
        toot["in_reply_to"] = {"id": str(110_000_000_000_000_000 + (i - 1) * 1000),
                               "account_id": "109000000000000001"}
    with open(os.path.join(toots, tid + ".json"), "w") as f:
        json.dump(toot, f, ensure_ascii=False, indent=2)
print(f"{count} toots in {toots}")
