"""Stage 1 of the article pipeline: read files into plain `Source` objects.

Formats, chosen by the file's suffix:
  .txt          the title on the first line, the body after, maybe a closing `المصدر : ...` line
                naming the publisher (as Al Jazeera's pages end); front matter is honoured too
  .md .markdown YAML front matter (title, published, publisher, url, language) and the body
  .json         an article object or a list of them (the gold corpus fields)
  .html .htm    the main text and metadata found by trafilatura, offline

A source that cannot be read (empty, not UTF-8, an HTML page with no text, bad metadata) becomes a
`Failure` with its reason: one bad file never stops a batch.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import orjson

TEXT, MARKDOWN, JSON_, HTML = {".txt"}, {".md", ".markdown"}, {".json"}, {".html", ".htm"}
SUFFIXES = TEXT | MARKDOWN | JSON_ | HTML

# "المصدر : الجزيرة + وكالات" / "Source: Reuters" as the last line of a body
_SOURCE_LINE = re.compile(r"^\s*(?:المصدر|مصدر|Source)\s*[:：]\s*(?P<who>.+?)\s*$", re.IGNORECASE)
# Publishers as the record names them, by the Arabic or English name a source line uses.
PUBLISHERS = {
    "الجزيرة": "Al Jazeera / الجزيرة", "الجزيرة نت": "Al Jazeera / الجزيرة", "al jazeera": "Al Jazeera / الجزيرة",
    "العربية": "Al Arabiya / العربية", "al arabiya": "Al Arabiya / العربية",
    "رويترز": "Reuters", "reuters": "Reuters",
    "الفرنسية": "AFP", "فرانس برس": "AFP", "afp": "AFP",
    "الأناضول": "Anadolu Agency / الأناضول", "anadolu": "Anadolu Agency / الأناضول",
    "أسوشيتد برس": "Associated Press", "ap": "Associated Press",
    "سانا": "SANA / سانا", "sana": "SANA / سانا",
}
# "+ وكالات" (and agencies): the wire services a report also drew on, not its publisher
_ALSO = re.compile(r"\s*(?:\+|،|,|/|و\s*وكالات).*$")


@dataclass
class Source:
    text: str
    origin: str  # the file (and item, for a JSON list) it was read from
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: dt.date | None = None
    language: str | None = None


@dataclass
class Failure:
    origin: str
    reason: str


class BadSource(ValueError):
    """A source that cannot become an article; the message says why."""


# --- helpers shared by the formats -----------------------------------------------------------
def publisher_of(who: str) -> str:
    """The publisher a source line names, as the record spells it ("الجزيرة + وكالات" → Al Jazeera)."""
    name = _ALSO.sub("", who.strip()) or who.strip()
    return PUBLISHERS.get(name.casefold(), name)


def split_source_line(text: str) -> tuple[str, str | None]:
    """The body without its closing source line, and the publisher that line names."""
    lines = text.rstrip().split("\n")
    if lines and (m := _SOURCE_LINE.match(lines[-1])):
        return "\n".join(lines[:-1]).rstrip(), publisher_of(m["who"])
    return text, None


def parse_date(value: Any, field: str = "published") -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise BadSource(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def _str(value: Any) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadSource(f"not UTF-8 text (byte {exc.start})") from None


def make_source(origin: str, *, text: Any, title: Any = None, publisher: Any = None, url: Any = None,
                published: Any = None, language: Any = None) -> Source:
    """A Source from loose metadata, with the checks every format shares."""
    if not isinstance(text, str) or not text.strip():
        raise BadSource("empty text")
    body, named = split_source_line(text.strip())
    if not body.strip():
        raise BadSource("empty text")
    language = _str(language)
    return Source(text=body, origin=origin, title=_str(title), publisher=_str(publisher) or named,
                  url=_str(url), published=parse_date(published), language=language.lower() if language else None)


# --- the formats -----------------------------------------------------------------------------
def _title_and_body(text: str) -> tuple[str | None, str]:
    """A first line standing alone (a blank line after it, no closing full stop) is the title."""
    first, sep, rest = text.strip().partition("\n")
    if sep and rest.startswith("\n") and rest.strip() and len(first) <= 300 and not first.rstrip().endswith((".", "؟", "?", "!")):
        return first.strip(), rest.strip()
    return None, text


def read_text(raw: bytes, origin: str) -> list[Source]:
    text = _decode(raw)
    if text.lstrip().startswith("---"):
        return read_markdown(raw, origin)
    title, body = _title_and_body(text)
    return [make_source(origin, text=body, title=title)]


def read_markdown(raw: bytes, origin: str) -> list[Source]:
    try:
        post = frontmatter.loads(_decode(raw))
    except BadSource:
        raise
    except Exception as exc:  # the YAML parser's message says where
        raise BadSource(f"bad front matter: {exc}") from None
    meta = post.metadata
    return [make_source(origin, text=post.content, title=meta.get("title"), publisher=meta.get("publisher"),
                        url=meta.get("url"), published=meta.get("published") or meta.get("date"),
                        language=meta.get("language") or meta.get("lang"))]


def article_from_json(obj: Any, origin: str) -> Source:
    if not isinstance(obj, dict):
        raise BadSource("a JSON article is an object with a text")
    return make_source(origin, text=obj.get("text"), title=obj.get("title"), publisher=obj.get("publisher"),
                       url=obj.get("url"), published=obj.get("published"),
                       language=obj.get("language") or obj.get("lang"))


def read_json(raw: bytes, origin: str) -> list[Source | Failure]:
    try:
        data = orjson.loads(_decode(raw))
    except orjson.JSONDecodeError as exc:
        raise BadSource(f"not JSON: {exc}") from None
    if not isinstance(data, list):
        return [article_from_json(data, origin)]
    out: list[Source | Failure] = []
    for i, obj in enumerate(data):
        where = f"{origin}[{i}]"
        try:
            out.append(article_from_json(obj, where))
        except BadSource as exc:
            out.append(Failure(where, str(exc)))
    return out


def read_html(raw: bytes, origin: str) -> list[Source]:
    import trafilatura
    from trafilatura.settings import set_date_params

    # extensive_search=False: take a date only from the page's metadata, never one guessed from
    # a date that happens to appear in the text
    doc = trafilatura.bare_extraction(_decode(raw), with_metadata=True, include_comments=False,
                                      date_extraction_params=set_date_params(False))
    if doc is None or not (doc.text or "").strip():
        raise BadSource("no main text found in the HTML page")
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    if doc.title and lines and lines[0] == doc.title.strip():
        lines = lines[1:]  # the headline is the title, not the first paragraph
    # trafilatura gives one line per block; the record separates paragraphs by a blank line
    return [make_source(origin, text="\n\n".join(lines), title=doc.title, publisher=doc.sitename,
                        url=doc.url, published=doc.date, language=doc.language)]


READERS = [(TEXT, read_text), (MARKDOWN, read_markdown), (JSON_, read_json), (HTML, read_html)]


def read_file(path: Path) -> list[Source | Failure]:
    origin = str(path)
    reader = next((r for suffixes, r in READERS if path.suffix.lower() in suffixes), None)
    try:
        if reader is None:
            raise BadSource(f"unsupported format {path.suffix or '(no suffix)'}; use {', '.join(sorted(SUFFIXES))}")
        raw = path.read_bytes()
        if not raw.strip():
            raise BadSource("empty file")
        return list(reader(raw, origin))
    except (BadSource, OSError) as exc:
        return [Failure(origin, str(exc))]


def article_files(folder: Path) -> list[Path]:
    """The article files under `folder`, recursively, sorted; reference data and READMEs are not articles."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUFFIXES and "reference" not in p.relative_to(folder).parts
                  and not p.name.lower().startswith("readme") and not p.name.startswith("."))


def source_files(paths: Iterable[Path]) -> Iterator[Path | Failure]:
    """The article files under `paths` (files or folders), in order; a Failure for a missing path."""
    for path in map(Path, paths):
        if not path.exists():
            yield Failure(str(path), "no such file or folder")
        else:
            yield from article_files(path) if path.is_dir() else [path]


def read_path(file: Path, *, published: dt.date | None = None) -> Iterator[Source | Failure]:
    """The articles of one file. `published` overrides every date."""
    for item in read_file(file):
        if published is not None and isinstance(item, Source):
            item.published = published
        yield item


def read_sources(paths: Iterable[Path], *, published: dt.date | None = None) -> Iterator[Source | Failure]:
    """Every article under `paths` (files or folders), in order, read one file at a time."""
    for file in source_files(paths):
        yield from [file] if isinstance(file, Failure) else read_path(file, published=published)
