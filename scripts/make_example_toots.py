#!/usr/bin/env python3
"""Write the example store: the toots of the invented account @news@social.example.

The "Beispielamt" is a fictional German public body; social.example,
other.example and daten.example are invented instances, and every person and
account here is made up. Run make_example_media.py first: this script reads
its manifest (scripts/example_media.json) for the mirrored file names.

    python3 scripts/make_example_toots.py

The toots are written as plain text, the way an author types them, and turned
into HTML by a small imitation of Mastodon's own formatter (paragraphs,
<br />, shortened links, hashtag and mention markup), so `tags`, `mentions`
and `emojis` always agree with the content. Ids are Mastodon snowflakes made
from the creation time, so they grow with time and all have 18 digits. The
output is deterministic; files in content/toots/social.example/news/ that this
script no longer makes are deleted.
"""

import hashlib
import json
import os
import re
import sys
from datetime import datetime, timezone
from urllib.parse import quote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST, USER = "social.example", "news"
ACCOUNT_ID = "109000000000000001"
TOOT_DIR = os.path.join(ROOT, "content", "toots", HOST, USER)
STATE_FILE = os.path.join(ROOT, "content", "state", HOST, USER + ".json")

with open(os.path.join(ROOT, "scripts", "example_media.json"), encoding="utf-8") as f:
    MEDIA = json.load(f)


# --------------------------------------------------------------------------
# Ids and time
# --------------------------------------------------------------------------

def ts(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def snowflake(when, salt):
    """Mastodon's id scheme: milliseconds since the epoch, shifted 16 bits,
    plus 16 bits that only have to be unique within the millisecond."""
    ms = int(ts(when).timestamp() * 1000)
    low = int(hashlib.sha256(salt.encode()).hexdigest()[:4], 16)
    return str((ms << 16) + low)


def partition(id_):
    """Paperclip's id partition, as in Mastodon's media paths."""
    s = id_.rjust(9, "0")
    return "/".join(s[i : i + 3] for i in range(0, len(s), 3))


# --------------------------------------------------------------------------
# Accounts and emojis
# --------------------------------------------------------------------------

ACCOUNTS = {
    # acct as written after "@": (id, username, acct in API terms, profile url)
    "presse": ("109000000000000042", "presse", "presse", "https://social.example/@presse"),
    "anna@other.example": ("109345678901234567", "anna", "anna@other.example", "https://other.example/@anna"),
    "statistik@daten.example": ("110123456789012345", "statistik", "statistik@daten.example",
                                "https://daten.example/@statistik"),
}

EMOJIS = {
    "beispielamt": ("https://social.example/system/custom_emojis/images/000/000/017/original/"
                    "5c1f0e9a2b7d4c33.png", MEDIA["emoji_beispielamt"]["file"]),
    "balken": ("https://daten.example/system/custom_emojis/images/000/000/004/original/"
               "9e02b6d1f4a87c10.png", MEDIA["emoji_balken"]["file"]),
}


def emoji_list(*texts):
    out, seen = [], set()
    for text in texts:
        for code in re.findall(r":([A-Za-z0-9_]+):", text):
            if code in EMOJIS and code not in seen:
                seen.add(code)
                url, file = EMOJIS[code]
                out.append({"shortcode": code, "remote_url": url, "file": file})
    return out


# --------------------------------------------------------------------------
# A small imitation of Mastodon's plain-text formatter
# --------------------------------------------------------------------------

def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def link(url):
    m = re.match(r"https?://(?:www\.)?", url)
    prefix, rest = m.group(0), url[m.end():]
    if len(rest) > 30:
        middle = f'<span class="ellipsis">{esc(rest[:30])}</span><span class="invisible">{esc(rest[30:])}</span>'
    else:
        middle = f'<span class="">{esc(rest)}</span><span class="invisible"></span>'
    return (f'<a href="{esc(url)}" target="_blank" rel="nofollow noopener" translate="no">'
            f'<span class="invisible">{esc(prefix)}</span>{middle}</a>')


def hashtag(name, host):
    return (f'<a href="https://{host}/tags/{quote(name)}" class="mention hashtag" rel="tag">'
            f'#<span>{esc(name)}</span></a>')


def mention(acct):
    _, username, _, url = ACCOUNTS[acct]
    return (f'<span class="h-card" translate="no"><a href="{esc(url)}" class="u-url mention">'
            f'@<span>{esc(username)}</span></a></span>')


TOKEN = re.compile(
    r"(?P<url>https?://[^\s<>\"]+[^\s<>\".,;:!?)\]])"
    r"|(?<![\w/)])#(?P<tag>\w*[^\W\d]\w*)"
    r"|(?<![\w/])@(?P<acct>\w+(?:@[\w.-]*\w)?)"
)


def format_text(text, host=HOST, quote_url=None):
    """Plain text -> (content HTML, tag names, mentioned accts)."""
    tags, mentions = [], []

    def line(s):
        out, pos = [], 0
        for m in TOKEN.finditer(s):
            out.append(esc(s[pos : m.start()]))
            if m.group("url"):
                out.append(link(m.group("url")))
            elif m.group("tag"):
                name = m.group("tag")
                if name.lower() not in (t.lower() for t in tags):
                    tags.append(name)
                out.append(hashtag(name, host))
            else:
                acct = m.group("acct")
                if acct not in ACCOUNTS:
                    raise SystemExit(f"unknown account @{acct}")
                if acct not in mentions:
                    mentions.append(acct)
                out.append(mention(acct))
            pos = m.end()
        out.append(esc(s[pos:]))
        return "".join(out)

    html = ""
    if quote_url:
        html += f'<p class="quote-inline">RE: {link(quote_url)}</p>'
    text = text.strip()
    if text:
        for para in re.split(r"\n\s*\n", text):
            html += "<p>" + "<br />".join(line(l) for l in para.split("\n")) + "</p>"
    return html, tags, mentions


def mention_objs(accts):
    out = []
    for a in accts:
        id_, username, acct, url = ACCOUNTS[a]
        out.append({"id": id_, "username": username, "acct": acct, "url": url})
    return out


# --------------------------------------------------------------------------
# Builders (keys in the declaration order of src/model.rs)
# --------------------------------------------------------------------------

def media(key, kind, media_id, description=None, focus=None, host=HOST, mirrored=True):
    m = MEDIA[key]
    ext = {"image": "png", "gifv": "mp4", "video": "mp4", "audio": "mp3"}[kind]
    name = hashlib.sha256(media_id.encode()).hexdigest()[:16]
    d = {
        "id": media_id,
        "kind": kind,
        "remote_url": f"https://{host}/system/media_attachments/files/{partition(media_id)}/original/{name}.{ext}",
    }
    if mirrored:
        d["file"] = m["file"]
        if key + "_poster" in MEDIA:
            d["preview_file"] = MEDIA[key + "_poster"]["file"]
        elif key + "_small" in MEDIA:
            d["preview_file"] = MEDIA[key + "_small"]["file"]
            d["preview_width"] = MEDIA[key + "_small"]["width"]
        d["mime"] = m["mime"]
        d["size"] = m["size"]
    if description is not None:
        d["description"] = description
    for k in ("width", "height", "duration", "blurhash"):
        if m.get(k) is not None:
            d[k] = m[k]
    if focus is not None:
        d["focus"] = {"x": focus[0], "y": focus[1]}
    return d


def author(acct, display_name, avatar_key=None):
    _, _, acct_, url = ACCOUNTS[acct]
    d = {"acct": acct_, "display_name": display_name, "url": url}
    if avatar_key:
        d["avatar"] = MEDIA[avatar_key]["file"]
    emojis = emoji_list(display_name)
    if emojis:
        d["emojis"] = emojis
    return d


def build(*, id, uri, url, created_at, visibility, text="", language=None, edited_at=None,
          spoiler_text="", sensitive=False, pinned=False, media_list=(), poll=None, card=None,
          in_reply_to=None, reblog=None, quote=None, host=HOST, quote_url=None):
    content, tags, accts = format_text(text, host, quote_url)
    if spoiler_text:
        sensitive = True  # Mastodon marks every toot with a content warning sensitive
    t = {"schema": 1, "id": id, "uri": uri}
    if url:
        t["url"] = url
    t["created_at"] = created_at
    if edited_at:
        t["edited_at"] = edited_at
    t["visibility"] = visibility
    if language:
        t["language"] = language
    t["content"] = content
    if spoiler_text:
        t["spoiler_text"] = spoiler_text
    if sensitive:
        t["sensitive"] = True
    if pinned:
        t["pinned"] = True
    if media_list:
        t["media"] = list(media_list)
    if poll:
        t["poll"] = poll
    if card:
        t["card"] = card
    emojis = emoji_list(spoiler_text, text)
    if emojis:
        t["emojis"] = emojis
    if tags:
        t["tags"] = [{"name": n} for n in tags]
    if accts:
        t["mentions"] = mention_objs(accts)
    if in_reply_to:
        t["in_reply_to"] = in_reply_to
    if reblog:
        t["reblog"] = reblog
    if quote:
        t["quote"] = quote
    return t


def poll(expires_at, expired, multiple, options, voters_count):
    return {
        "expires_at": expires_at,
        "expired": expired,
        "multiple": multiple,
        "votes_count": sum(v for _, v in options),
        "voters_count": voters_count,
        "options": [{"title": t, "votes_count": v} for t, v in options],
    }


# --------------------------------------------------------------------------
# Other accounts' posts (answered, boosted, quoted)
# --------------------------------------------------------------------------

ANNA_REPLIED_ID = snowflake("2025-08-04T20:15:00Z", "anna-1")
ANNA_QUOTED_ID = snowflake("2026-03-03T18:20:00Z", "anna-2")
ANNA_QUOTED_URL = f"https://other.example/@anna/{ANNA_QUOTED_ID}"

anna_quoted = build(
    id=ANNA_QUOTED_ID,
    uri=f"https://other.example/users/anna/statuses/{ANNA_QUOTED_ID}",
    url=ANNA_QUOTED_URL,
    created_at="2026-03-03T18:20:00Z",
    visibility="public",
    language="de",
    host="other.example",
    text="Ernstgemeinte Frage an die Ämter hier: Warum gibt es so viele Formulare immer noch nur "
         "als PDF zum Ausdrucken? Mit Screenreader ist das jedes Mal ein Abenteuer. #Barrierefreiheit",
)

STAT_ID = snowflake("2025-11-05T14:00:00Z", "statistik-1")
stat_toot = build(
    id=STAT_ID,
    uri=f"https://daten.example/users/statistik/statuses/{STAT_ID}",
    url=f"https://daten.example/@statistik/{STAT_ID}",
    created_at="2025-11-05T14:00:00Z",
    visibility="public",
    language="de",
    host="daten.example",
    text="Neu im Datenportal: Wie erreichen die Menschen ihre Verwaltung? 42 % der Anträge kamen "
         "2025 online, 27 % per Post, 18 % am Schalter und 13 % per Telefon.\n\n"
         "Daten (CSV, Lizenz CC BY 4.0): https://daten.example/datensaetze/zugangskanaele-2025\n\n"
         "#OpenData #Statistik",
    media_list=[media("statistik_torte", "image", snowflake("2025-11-05T13:58:00Z", "m-stat"),
                      "Tortendiagramm der Zugangskanäle 2025: online 42 %, Post 27 %, Schalter 18 %, "
                      "Telefon 13 %.", host="daten.example")],
)


# --------------------------------------------------------------------------
# The toots of @news@social.example
# --------------------------------------------------------------------------

# (created_at, fields). Ids are made from created_at, so the list must be in
# time order; thread parts point at their predecessor by index.
SPECS = []


def toot(created_at, **kw):
    SPECS.append((created_at, kw))
    return len(SPECS) - 1


def img(key, when, description=None, **kw):
    return media(key, "image", snowflake(when, "m-" + key), description, **kw)


toot("2025-01-07T08:30:00Z", language="de", pinned=True,
     text="Willkommen beim Beispielamt im Fediverse! :beispielamt:\n\n"
          "Hier informieren wir über neue Online-Dienste, Wartungsarbeiten, Stellenangebote und "
          "Veranstaltungen.\nWir lesen mit und antworten werktags von 8 bis 16 Uhr.\n"
          "Für Anträge und persönliche Daten nutzen Sie bitte das Serviceportal: "
          "https://beispielamt.example/service\n\n"
          "#Verwaltung #Bürgerservice")

toot("2025-01-20T10:00:00Z", language="de",
     text="Wartungsarbeiten: Das Serviceportal ist am Samstag, 25. Januar, von 6 bis 10 Uhr nicht "
          "erreichbar. Bereits gebuchte Termine bleiben bestehen.\n\n#Wartung #Bürgerservice")

toot("2025-02-03T09:15:00Z", language="de",
     text="Neu als #OpenData: die Antragsstatistik 2024, Monat für Monat und nach Verfahren "
          "aufgeschlüsselt. Format CSV, Lizenz CC BY 4.0.\n\n"
          "https://daten.beispielamt.example/datensaetze/antragsstatistik-2024/ressourcen/csv",
     media_list=[img("chart_antraege", "2025-02-03T09:10:00Z",
                     "Säulendiagramm „Anträge 2024“: zwölf Monatswerte zwischen etwa 340 und 530, "
                     "Höchstwert im November; der Dezember ist orange hervorgehoben.")])

toot("2025-02-14T13:00:00Z", language="en",
     text="Our 2024 application statistics are now available as #OpenData (CSV, CC BY 4.0). "
          "We'd love to hear what you build with them!\n\n"
          "https://daten.beispielamt.example/en/datasets/application-statistics-2024")

toot("2025-02-27T11:00:00Z", language="de",
     text="#Stellenangebot: Wir suchen eine Softwareentwicklerin oder einen Softwareentwickler "
          "(m/w/d) für das Referat Digitale Dienste.\n\n"
          "Was Sie erwartet:\n– Weiterentwicklung unserer Fachverfahren\n"
          "– Arbeit mit #OpenSource-Komponenten\n– mobiles Arbeiten & flexible Arbeitszeiten\n\n"
          "Bewerbungsschluss ist der 31. März 2025.\n"
          "https://www.beispielamt.example/karriere/stellenangebote/2025-017-softwareentwicklung\n\n"
          "#Digitalisierung")

toot("2025-03-12T07:45:00Z", language="de", spoiler_text="Sicherheitshinweis: Phishing-E-Mails",
     text="Derzeit sind gefälschte E-Mails im Umlauf, die angeblich vom Beispielamt stammen und zur "
          "„Bestätigung Ihrer Kontodaten“ auffordern.\n\n"
          "Wir fragen niemals per E-Mail nach Passwörtern oder Bankdaten. Bitte klicken Sie auf "
          "keine Links und löschen Sie die Nachricht.\n\n#Sicherheit")

toot("2025-03-25T15:30:00Z", language="de", visibility="unlisted",
     text="Kleiner Nachtrag zur heutigen Störung: Die Online-Terminbuchung funktioniert seit "
          "15:10 Uhr wieder. Danke für Ihre Geduld!")

toot("2025-04-08T09:00:00Z", language="de",
     text="Save the Date: Tag der offenen Tür am Samstag, 10. Mai, von 10 bis 16 Uhr im Hauptgebäude. "
          "Es gibt Führungen durchs Archiv, einen Infostand zu unseren Online-Diensten und eine "
          "Malecke für Kinder.\n\nAnfahrt: Haltestelle Amtsplatz, Linien 3 und 7.\n\n#Veranstaltung",
     media_list=[
         img("gebaeude", "2025-04-08T08:55:00Z",
             "Das Hauptgebäude des Beispielamts: ein dreigeschossiger Bau mit rotem Walmdach und "
             "Holztür in der Mitte, davor Rasen, blauer Himmel.", focus=(0.0, -0.2)),
         img("lageplan", "2025-04-08T08:56:00Z",
             "Stadtplanausschnitt mit Straßenraster, einem Fluss und einem Park; eine rote Markierung "
             "zeigt das Hauptgebäude nördlich des Flusses."),
     ])

THREAD_1 = toot("2025-04-22T12:00:00Z", language="de",
                text="🧵 Was passiert eigentlich mit Ihrem Online-Antrag, nachdem Sie auf „Absenden“ "
                     "geklickt haben? Ein Blick hinter die Kulissen in vier Schritten. (1/4)\n\n"
                     "#Digitalisierung #Verwaltung")
THREAD_2 = toot("2025-04-22T12:02:00Z", language="de", in_reply_to_index=THREAD_1,
                text="Schritt 1: Eingang. Ihr Antrag landet verschlüsselt in unserem Posteingang und "
                     "bekommt ein Aktenzeichen. Sie erhalten sofort eine Eingangsbestätigung. (2/4)")
THREAD_3 = toot("2025-04-22T12:04:00Z", language="de", in_reply_to_index=THREAD_2,
                text="Schritt 2 und 3: Prüfung und Entscheidung. Eine Sachbearbeiterin oder ein "
                     "Sachbearbeiter prüft die Angaben; fehlt etwas, melden wir uns über das "
                     "Postfach im Serviceportal. (3/4)")
toot("2025-04-22T12:06:00Z", language="de", in_reply_to_index=THREAD_3,
     text="Schritt 4: Bescheid. Den Bescheid finden Sie im Postfach, auf Wunsch zusätzlich per Post. "
          "Die durchschnittliche Bearbeitungszeit lag zuletzt bei 9 Tagen. (4/4)\n\n#Bürgerservice")

toot("2025-05-06T08:00:00Z", language="en",
     text="We have updated our accessibility statement: it now lists the remaining barriers in our "
          "online forms and the dates by which we will fix them. Feedback is very welcome.\n"
          "https://beispielamt.example/a11y\n\n#Barrierefreiheit")

toot("2025-05-10T14:20:00Z", language="de",
     text="Was für ein Tag! Danke an die rund 1.200 Besucherinnen und Besucher beim Tag der offenen "
          "Tür. Ein paar Eindrücke:\n\n#Veranstaltung",
     media_list=[
         img("tdot_buehne", "2025-05-10T14:10:00Z",
             "Blick von hinten in den vollen Saal: Publikum in Stuhlreihen, vorne auf der Bühne eine "
             "Rednerin neben einer Leinwand."),
         img("tdot_infostand", "2025-05-10T14:11:00Z",
             "Infostand mit Roll-up-Banner des Beispielamts und einem Tisch voller Broschüren, "
             "dahinter eine Mitarbeiterin im grünen Shirt."),
         img("tdot_malecke", "2025-05-10T14:12:00Z",
             "Ein großes Blatt voller bunter Farbkleckse aus der Malecke für Kinder, unten eine "
             "Leiste mit Farbtöpfen."),
         img("tdot_fuehrung", "2025-05-10T14:13:00Z",
             "Eine Führung im Archiv: fünf Personen stehen vor hohen Regalen mit bunten Aktenordnern."),
     ])

toot("2025-05-28T10:30:00Z", language="de",
     text="#Pressemitteilung: Der Jahresbericht 2024 ist erschienen. Schwerpunkte sind die "
          "Digitalisierung der Antragsverfahren und kürzere Wartezeiten im Bürgerbüro.\n\n"
          "https://www.beispielamt.example/presse/2025/jahresbericht-2024-erschienen",
     card={
         "url": "https://www.beispielamt.example/presse/2025/jahresbericht-2024-erschienen",
         "title": "Jahresbericht 2024 erschienen",
         "description": "Mehr Online-Anträge, kürzere Wartezeiten: Das Beispielamt legt seinen "
                        "Jahresbericht 2024 vor.",
         "provider_name": "Beispielamt",
         "author_name": "Pressestelle Beispielamt",
         "image": MEDIA["card_jahresbericht"]["file"],
         "image_remote_url": "https://social.example/system/cache/preview_cards/images/000/004/211/"
                             "original/b7a1c3e05d9f2468.png",
         "image_description": "Titelseite des Jahresberichts mit Tortendiagramm.",
         "width": MEDIA["card_jahresbericht"]["width"],
         "height": MEDIA["card_jahresbericht"]["height"],
     })

toot("2025-06-11T09:00:00Z", language="de",
     text="Presseanfragen beantworten ab sofort die Kolleginnen und Kollegen von @presse. "
          "Dieser Kanal bleibt für Service-Informationen da.\n\n#Pressemitteilung #Verwaltung")

toot("2025-06-24T16:00:00Z", language="de", visibility="private",
     text="Nur für Follower: Die Feier „Weihnachten im Juli“ des Referats Z3 findet im "
          "Kantinen-Anbau statt. Stichwort an der Tür: Marzipanlokomotive.",
     media_list=[img("weihnachtsfeier", "2025-06-24T15:58:00Z",
                     "Tannenbaum mit goldenen Sternen, Einladungskarte Marzipanlokomotive.")])

toot("2025-07-03T08:15:00Z", language="de",
     text="Geänderte Öffnungszeiten des Bürgerbüros in den Sommerferien (7. Juli bis 15. August):\n"
          "Montag bis Donnerstag: 8 bis 15 Uhr\nFreitag: 8 bis 12 Uhr\n\n"
          "Online-Dienste stehen wie gewohnt rund um die Uhr zur Verfügung.\n\n#Bürgerservice")

toot("2025-07-17T11:45:00Z", language="de",
     text="Kurzvideo: So buchen Sie in drei Klicks einen Termin im Bürgerbüro. "
          "Mit Untertiteln und Audiodeskription.\n\n#Digitalisierung #Bürgerservice",
     media_list=[media("video_terminbuchung", "video", snowflake("2025-07-17T11:40:00Z", "m-video"),
                       "Testbild mit Farbbalken und Sekundenzähler, dazu ein Sinuston: Platzhalter "
                       "für das Erklärvideo zur Terminbuchung.")])

toot("2025-08-05T09:30:00Z", language="de",
     in_reply_to={"id": ANNA_REPLIED_ID, "account_id": ACCOUNTS["anna@other.example"][0],
                  "url": f"https://other.example/@anna/{ANNA_REPLIED_ID}"},
     text="@anna@other.example Danke für den Hinweis! Der Link zur Datenschutzerklärung im "
          "Kontaktformular ist korrigiert. #Barrierefreiheit")

toot("2025-08-19T13:00:00Z", language="en",
     text="New signage at the main entrance: the way to the citizens' office is now marked from the "
          "tram stop.",
     # no alt text, on purpose: the one image without a description
     media_list=[img("schild", "2025-08-19T12:58:00Z")])

toot("2025-09-02T07:00:00Z", language="de", spoiler_text="Wartungsfenster am 6. September",
     text="In der Nacht von Freitag auf Samstag (5./6. September) aktualisieren wir die Server des "
          "Serviceportals.\n\nZwischen 22 und 4 Uhr kann es zu Unterbrechungen kommen; Anträge, die "
          "Sie in dieser Zeit absenden, gehen nicht verloren.\n\n#Wartung")

toot("2025-09-16T10:00:00Z", language="de", visibility="unlisted",
     text="Korrektur zu unserem Beitrag von gestern: Der Aktenvernichtungstermin im Außenlager ist "
          "am Donnerstag, nicht am Dienstag.")

toot("2025-09-30T12:30:00Z", language="de",
     text="Im Oktober starten wir eine offene Sprechstunde zu unseren Online-Diensten. Welche Themen "
          "interessieren Sie? (Mehrfachauswahl möglich)\n\n#Bürgerservice #Digitalisierung",
     poll=poll("2025-10-07T12:30:00Z", True, True,
               [("Online-Ausweisfunktion", 148), ("Terminbuchung", 97),
                ("Barrierefreie Formulare", 121), ("Datenschutz", 64)], 262))

toot("2025-10-14T08:00:00Z", language="de",
     text="Neu im Antragsportal: Ein Fortschrittsbalken zeigt, wie viele Schritte noch fehlen, und "
          "wird von Screenreadern angesagt.\n\n#Digitalisierung #Barrierefreiheit",
     media_list=[media("gifv_fortschritt", "gifv", snowflake("2025-10-14T07:58:00Z", "m-gifv"),
                       "Animation: Farbbalken und ein laufender Zähler als Platzhalter für den neuen "
                       "Fortschrittsbalken.")])

toot("2025-10-28T15:00:00Z", language="de", visibility="direct",
     text="@anna@other.example Hallo Anna, wie besprochen die Durchwahl für Rückfragen: 0000-1234. "
          "Codewort für die Telefonzentrale: Pflaumenmusdampfer.")

toot("2025-11-06T09:00:00Z", boost=True)

toot("2025-11-20T10:10:00Z", language="de", edited_at="2025-11-20T11:42:00Z",
     text="Update zum Infoabend „Digitale Verwaltung“ am 27. November: Die Veranstaltung findet im "
          "Saal B statt (nicht wie angekündigt in Saal A). Beginn 18 Uhr, Anmeldung nicht "
          "erforderlich.\n\n#Veranstaltung #Digitalisierung")

toot("2025-12-03T08:30:00Z", language="de", sensitive=True,
     text="Der Schimmelbefall im Altaktenarchiv ist beseitigt, alle betroffenen Akten wurden "
          "digitalisiert. Zur Dokumentation ein Vorher-Foto (Vorsicht, unappetitlich).\n\n#Verwaltung",
     media_list=[img("schimmel", "2025-12-03T08:25:00Z",
                     "Nahaufnahme vergilbter Aktendeckel, übersät mit grau-grünen Schimmelflecken.")])

toot("2025-12-17T14:00:00Z", language="de",
     text="Neue Folge unseres Podcasts „Amtsdeutsch entschlüsselt“: Was ist eigentlich ein "
          "Widerspruchsbescheid? Hier schon mal der neue Jingle.\n\n#Verwaltung",
     media_list=[media("audio_jingle", "audio", snowflake("2025-12-17T13:58:00Z", "m-audio"),
                       "Jingle: drei aufsteigende Töne, etwa eine Sekunde lang.")])

toot("2025-12-22T09:00:00Z", language="de",
     text="Öffnungszeiten zwischen den Jahren:\n"
          "23. Dezember: 8 bis 12 Uhr\n24. bis 26. Dezember: geschlossen\n"
          "27. bis 30. Dezember: 9 bis 13 Uhr\n31. Dezember: geschlossen\n\n"
          "Wir wünschen Ihnen schöne Feiertage!\n\n#Bürgerservice")

toot("2026-01-08T10:00:00Z", language="en", spoiler_text="Security advisory: form server update",
     text="We fixed a flaw in the file upload of our open-source form server that could let "
          "oversized uploads slow down the service. No data was accessed.\n\n"
          "If you run your own instance, please update to version 3.4.2: "
          "https://code.beispielamt.example/formserver/releases/tag/v3.4.2\n\n"
          "#Sicherheit #OpenSource")

toot("2026-01-21T08:00:00Z", language="de", text="",
     media_list=[img("gebaeude_schnee", "2026-01-21T07:58:00Z",
                     "Das Hauptgebäude im Schnee: weißes Dach, Schneeflocken vor grauem Himmel.")])

toot("2026-02-04T11:00:00Z", language="de",
     text="#Stellenangebot: Ausbildung zur oder zum Verwaltungsfachangestellten ab 1. September 2026. "
          "Drei Jahre, vergütet, mit Praxisphasen in allen Abteilungen.\n\n"
          "Bewerbungen bis 15. März: https://www.beispielamt.example/karriere/ausbildung-2026\n\n"
          "#Verwaltung")

toot("2026-02-18T09:45:00Z", language="de",
     text="Die Bearbeitungszeiten im Januar auf einen Blick: Bei Wohngeld, Gewerbe und Meldewesen "
          "lagen wir unter 15 Tagen. Die Rohdaten gibt es als #OpenData.",
     media_list=[img("infografik_unmirrored", "2026-02-18T09:40:00Z",
                     "Infografik: fünf waagerechte Balken mit den Bearbeitungszeiten im Januar "
                     "zwischen 6 und 21 Tagen.", mirrored=False)])

toot("2026-03-04T13:05:00Z", language="de",
     quote_url=ANNA_QUOTED_URL,
     quote={"uri": anna_quoted["uri"], "url": anna_quoted["url"],
            "shared": {"author": author("anna@other.example", "Anna Beispiel", "avatar_anna"),
                       "toot": anna_quoted}},
     text="Berechtigte Frage! Bei uns sind inzwischen 41 von 56 Formularen als barrierefreies "
          "Online-Formular verfügbar, der Rest folgt bis Jahresende. Eine Übersicht steht in "
          "unserer Erklärung zur #Barrierefreiheit.")

toot("2026-03-18T10:00:00Z", language="de", visibility="unlisted",
     text="Nachtrag: Die Folien zum Vortrag beim Verwaltungskongress stehen jetzt online: "
          "https://beispielamt.example/vortraege/2026-03-kongress.pdf")

toot("2026-04-01T08:00:00Z", language="de",
     text="Ab heute ist der Quellcode unseres Terminbuchungssystems öffentlich, unter der Lizenz "
          "EUPL-1.2. Fragen & Feedback gern als Issue.\n\n"
          "https://code.beispielamt.example/terminbuchung\n\n#OpenSource #Digitalisierung",
     card={
         "url": "https://code.beispielamt.example/terminbuchung",
         "title": "terminbuchung – Terminbuchungssystem des Beispielamts",
         "description": "Quellcode, Dokumentation und Issue-Tracker.",
         "provider_name": "code.beispielamt.example",
     })

toot("2026-04-15T07:30:00Z", language="de", spoiler_text="Störung: Telefonhotline",
     text="Unsere Telefonhotline ist wegen einer Störung beim Netzbetreiber derzeit nicht erreichbar. "
          "Bitte nutzen Sie das Kontaktformular oder kommen Sie ins Bürgerbüro.\n\n#Bürgerservice")

toot("2026-05-06T12:00:00Z", language="en",
     text="Join us for Open Data Day on 16 May! @anna@other.example will show how she maps barrier-free "
          "routes with our data, and @presse will moderate. Entry is free.\n\n"
          "#OpenData #Veranstaltung")

toot("2026-05-27T09:00:00Z", language="de", visibility="private",
     text="Intern für Follower: Die Quittenbrotkommission tagt am Freitag im Raum 4.12. Bitte keine "
          "Laptops mitbringen.")

toot("2026-06-10T10:30:00Z", language="de",
     text="Ab sofort erhalten Sie alle Bescheide auf Wunsch zusätzlich in Leichter Sprache. Ein "
          "Kreuz im Antrag genügt.\n\n#Barrierefreiheit #Bürgerservice")

toot("2026-07-01T08:00:00Z", language="de",
     text="Am 8. Juli tauschen wir die Zertifikate des Serviceportals aus. Wenn Ihr Browser danach "
          "eine Warnung zeigt, leeren Sie bitte den Cache oder melden Sie sich bei uns.\n\n"
          "#Wartung #Sicherheit")

toot("2026-07-22T14:00:00Z", language="de", visibility="direct",
     text="@presse Entwurf, bitte noch nicht veröffentlichen: Zitronenfalterprotokoll zur "
          "Haushaltssperre, Freigabe erst nach der Ausschusssitzung.")

toot("2026-08-12T09:00:00Z", language="de",
     text="Immer mehr Anträge kommen digital: Im Juli waren es erstmals mehr Online- als "
          "Papieranträge. Die Zahlen seit August 2025 gibt es als #OpenData.\n\n"
          "https://daten.beispielamt.example/datensaetze/antragswege-monatlich\n\n#Digitalisierung",
     media_list=[img("chart_digital", "2026-08-12T08:58:00Z",
                     "Liniendiagramm über zwölf Monate: die graue Linie (Papieranträge) fällt von 260 "
                     "auf 175, die grüne Linie (Online-Anträge) steigt von 60 auf 198 und kreuzt die "
                     "graue im elften Monat.")])

toot("2026-09-09T11:00:00Z", language="en",
     text="We're hiring an accessibility specialist (full time, remote possible) to help make all of "
          "our services usable for everyone.\n\n"
          "Apply by 15 October: https://www.beispielamt.example/en/careers/2026-031-accessibility\n\n"
          "#Stellenangebot #Barrierefreiheit")

toot("2026-10-07T10:00:00Z", language="de", visibility="unlisted",
     text="Kurzer Hinweis: Unser Newsletter erscheint im Oktober eine Woche später als gewohnt.")

toot("2026-10-21T09:30:00Z", language="de",
     text="Am 5. November ist Digitaltag im Beispielamt :beispielamt:\n\n"
          "Von 10 bis 15 Uhr helfen wir beim Einrichten der Online-Ausweisfunktion und zeigen unsere "
          "neuen Dienste. Kommen Sie vorbei!\n\n#Veranstaltung #Digitalisierung")

toot("2026-11-24T09:00:00Z", language="de",
     text="Wie möchten Sie künftig über geplante Wartungsarbeiten informiert werden?\n\n"
          "#Wartung #Bürgerservice",
     poll=poll("2026-12-01T09:00:00Z", False, False,
               [("Hier im Fediverse", 57), ("Newsletter", 23), ("Banner im Serviceportal", 12),
                ("Gar nicht, einfach machen", 9)], 101))

toot("2026-11-25T16:00:00Z", language="de",
     text="#Pressemitteilung: Ab 1. Januar 2027 ist das Bürgerbüro auch donnerstags bis 19 Uhr "
          "geöffnet. Termine können ab 1. Dezember gebucht werden.\n\n#Bürgerservice")


# --------------------------------------------------------------------------
# Turn the specs into toots
# --------------------------------------------------------------------------

def make_all():
    toots, ids = [], []
    prev = None
    for n, (when, kw) in enumerate(SPECS):
        if prev is not None and when <= prev:
            raise SystemExit(f"spec {n} is out of time order")
        prev = when
        id_ = snowflake(when, f"news-{n}")
        ids.append(id_)
        kw = dict(kw)
        if kw.pop("boost", False):
            t = build(id=id_, uri=f"https://{HOST}/users/{USER}/statuses/{id_}/activity",
                      url=f"https://{HOST}/users/{USER}/statuses/{id_}/activity",
                      created_at=when, visibility="public",
                      reblog={"author": author("statistik@daten.example",
                                               "Statistikstelle Beispielland :balken:",
                                               "avatar_statistik"),
                              "toot": stat_toot})
        else:
            idx = kw.pop("in_reply_to_index", None)
            if idx is not None:
                kw["in_reply_to"] = {"id": ids[idx], "account_id": ACCOUNT_ID}
            t = build(id=id_, uri=f"https://{HOST}/users/{USER}/statuses/{id_}",
                      url=f"https://{HOST}/@{USER}/{id_}", created_at=when,
                      visibility=kw.pop("visibility", "public"), **kw)
        toots.append(t)
    lengths = {len(i) for i in ids}
    assert lengths == {18}, lengths
    assert ids == sorted(ids), "ids must grow with time"
    return toots


def state(toots):
    note, _, _ = format_text(
        "Offizieller Kanal des Beispielamts, einer fiktiven Behörde: Service-Informationen, "
        "Wartungsarbeiten, Stellenangebote und Veranstaltungen.\n"
        "Impressum und Datenschutz: https://beispielamt.example/impressum\n\n"
        "Presseanfragen bitte an @presse. #Bürgerservice")
    return {
        "schema": 1,
        "handle": f"@{USER}@{HOST}",
        "id": ACCOUNT_ID,
        "display_name": "Beispielamt Nachrichten",
        "note": note,
        "url": f"https://{HOST}/@{USER}",
        "avatar": MEDIA["avatar"]["file"],
        "header": MEDIA["header"]["file"],
        "newest_id": max(t["id"] for t in toots),
        "last_reconcile": "2026-11-26T06:00:00Z",
    }


def dump(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path, encoding="utf-8").read() == text:
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    toots = make_all()
    wanted = set()
    for t in toots:
        name = t["id"] + ".json"
        wanted.add(name)
        write(os.path.join(TOOT_DIR, name), dump(t))
    for name in sorted(os.listdir(TOOT_DIR)):
        if name.endswith(".json") and name not in wanted:
            os.remove(os.path.join(TOOT_DIR, name))
            print("removed", name, file=sys.stderr)
    write(STATE_FILE, dump(state(toots)))
    counts = {}
    for t in toots:
        counts[t["visibility"]] = counts.get(t["visibility"], 0) + 1
    print(f"{len(toots)} toots in {os.path.relpath(TOOT_DIR, ROOT)}: {counts}")


if __name__ == "__main__":
    main()
