#!/usr/bin/env python3
"""A stand-in Mastodon instance on 127.0.0.1 for the pipeline check.

Serves one public account, @news, with 45 statuses (more than one page of
40, as a real account has; the newest with an image that has alt text) through the REST endpoints `tootbridge sync` uses:
WebFinger, account lookup, the account's statuses, the batch and single
status endpoints, and the media files. Anything else is a 404, and every
request is logged to stderr, so a run shows what sync asked for.

Usage: instance.py PORT_FILE  (binds a free port and writes it there)
While a file PORT_FILE.newer exists, a 46th status is served: a new toot.
"""

import json
import os
import struct
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT_ID = "110000000000000001"
USER = "news"


def png(rgb):
    """A valid 2x2 PNG of one colour (no image library needed)."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


FILES = {"/media/avatar.png": png((0, 90, 160)), "/media/amt.png": png((200, 40, 40))}


def account(base):
    return {
        "id": ACCOUNT_ID, "username": USER, "acct": USER, "display_name": "Beispielamt",
        "locked": False, "bot": False, "created_at": "2025-01-01T00:00:00.000Z",
        "note": "<p>Neuigkeiten aus dem Amt</p>", "url": f"{base}/@{USER}",
        "uri": f"{base}/users/{USER}", "avatar": f"{base}/media/avatar.png",
        "avatar_static": f"{base}/media/avatar.png",
        "header": f"{base}/headers/original/missing.png", "header_static": f"{base}/headers/original/missing.png",
        "followers_count": 3, "following_count": 0, "statuses_count": 2, "emojis": [], "fields": [],
    }


COUNT = 45


def status(base, n, text, media):
    sid = str(113000000000000000 + n)
    return {
        "id": sid, "created_at": f"2026-03-{1 + n // 4:02}T{8 + n % 4 * 2:02}:00:00.000Z", "in_reply_to_id": None,
        "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
        "visibility": "public", "language": "de", "uri": f"{base}/users/{USER}/statuses/{sid}",
        "url": f"{base}/@{USER}/{sid}", "replies_count": 0, "reblogs_count": 0,
        "favourites_count": 0, "edited_at": None, "content": f"<p>{text}</p>", "reblog": None,
        "account": account(base), "media_attachments": media, "mentions": [], "tags": [],
        "emojis": [], "card": None, "poll": None,
    }


def statuses(base, newer):
    image = {
        "id": "22", "type": "image", "url": f"{base}/media/amt.png", "preview_url": None,
        "remote_url": None, "preview_remote_url": None, "text_url": None,
        "meta": {"original": {"width": 2, "height": 2, "size": "2x2", "aspect": 1.0}},
        "description": "Das rote Schild am Eingang des Amtes", "blurhash": None,
    }
    older = [status(base, n, f"Meldung Nummer {n}: Sprechzeiten ab Montag.", [])
             for n in range(1, COUNT)]
    # Newest first, as Mastodon pages them.
    newest = [status(base, COUNT + 1, "Heute geschlossen.", [])] if newer else []
    return newest + [status(base, COUNT, "Das Amt hat ein neues Schild.", [image])] + older[::-1]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://{self.headers.get('Host')}"
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        all_statuses = statuses(base, os.path.exists(sys.argv[1] + ".newer"))
        body, kind = None, "application/json; charset=utf-8"
        if url.path == "/.well-known/webfinger":
            subject = query.get("resource", [""])[0]
            if subject.startswith(f"acct:{USER}@"):
                kind = "application/jrd+json"
                body = {"subject": subject, "links": [
                    {"rel": "self", "type": "application/activity+json", "href": f"{base}/users/{USER}"}]}
        elif url.path == "/api/v1/accounts/lookup":
            if query.get("acct", [""])[0].split("@")[0] == USER:
                body = account(base)
        elif url.path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
            pinned = query.get("pinned", ["false"])[0] == "true"
            max_id = query.get("max_id", [None])[0]
            limit = min(int(query.get("limit", ["20"])[0]), 40)
            page = [s for s in all_statuses if max_id is None or int(s["id"]) < int(max_id)][:limit]
            if not pinned and len(page) == limit:
                link = f'<{base}{url.path}?limit={limit}&max_id={page[-1]["id"]}>; rel="next"'
                return self.send(200, kind, json.dumps(page).encode(), [("Link", link)])
            body = [] if pinned else page
        elif url.path == "/api/v1/statuses":
            ids = query.get("id[]", [])
            body = [s for s in all_statuses if s["id"] in ids]
        elif url.path.startswith("/api/v1/statuses/"):
            sid = url.path.rsplit("/", 1)[1]
            body = next((s for s in all_statuses if s["id"] == sid), None)
        elif url.path in FILES:
            return self.send(200, "image/png", FILES[url.path])
        if body is None:
            return self.send(404, kind, b'{"error":"Record not found"}')
        return self.send(200, kind, json.dumps(body).encode())

    def send(self, code, kind, data, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("instance: " + (fmt % args) + "\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    # Renamed into place, so a reader never sees a half-written port.
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
