"""Reading sources: every format, and bad sources as failures with their reason (no database)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from app.loader.sources import Failure, Source, publisher_of, read_file, read_sources

ROOT = Path(__file__).resolve().parents[1]
SEED_TXT = ROOT.parent / "shared" / "seeds" / "000_16459814e9a46614.txt"
SEED_MD = ROOT / "seeds" / "articles" / "000_16459814e9a46614.md"
TITLE = "مفاوضات بأستانا لإطلاق كل مناطق خفض التصعيد بسوريا"


def one(path: Path) -> Source:
    items = read_file(path)
    assert len(items) == 1 and isinstance(items[0], Source), items
    return items[0]


def test_plain_text_title_and_source_line():
    src = one(SEED_TXT)
    assert src.title == TITLE
    assert src.publisher == "Al Jazeera / الجزيرة"
    assert src.text.startswith("تشهد أستانا") and "المصدر" not in src.text and TITLE not in src.text
    assert src.published is None and src.language is None


def test_publisher_of_source_lines():
    assert publisher_of("الجزيرة + وكالات") == "Al Jazeera / الجزيرة"
    assert publisher_of("رويترز") == "Reuters"
    assert publisher_of("Some Paper") == "Some Paper"


def test_plain_text_without_title(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Talks resumed in Geneva on Monday.\nThe envoy attended.", encoding="utf-8")
    src = one(path)
    assert src.title is None and src.text.startswith("Talks resumed")


def test_markdown_front_matter_is_the_seed_with_its_metadata():
    src = one(SEED_MD)
    assert (src.title, src.published, src.publisher, src.language) == (
        TITLE, dt.date(2017, 9, 15), "Al Jazeera / الجزيرة", "ar")
    assert src.url is None
    assert src.text == one(SEED_TXT).text  # the body: no title line, no المصدر line


def test_json_object_and_list(tmp_path):
    article = {"id": "x1", "lang": "en", "title": "T", "publisher": "Reuters", "published": "2017-09-15",
               "text": "The delegations met in Astana.", "gold": {}}
    (tmp_path / "one.json").write_text(json.dumps(article), encoding="utf-8")
    src = one(tmp_path / "one.json")
    assert (src.language, src.published, src.publisher) == ("en", dt.date(2017, 9, 15), "Reuters")
    (tmp_path / "many.json").write_text(json.dumps([article, {"title": "no text"}, {**article, "language": "ar"}]),
                                        encoding="utf-8")
    items = read_file(tmp_path / "many.json")
    assert [type(i).__name__ for i in items] == ["Source", "Failure", "Source"]
    assert items[1].reason == "empty text" and items[1].origin.endswith("many.json[1]")


def test_html_main_text_and_metadata(tmp_path):
    body = "".join(f"<p>The Syrian opposition delegation met the Russian delegation in Astana, paragraph {i}.</p>"
                   for i in range(4))
    html = (f"<html><head><title>Talks in Astana</title><meta property='article:published_time' content='2017-09-15'>"
            f"<meta property='og:site_name' content='Reuters'></head><body><nav>Home | World</nav>"
            f"<article><h1>Talks in Astana</h1>{body}</article><footer>© 2017</footer></body></html>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    src = one(tmp_path / "page.html")
    assert src.title == "Talks in Astana" and src.published == dt.date(2017, 9, 15)
    assert src.text.startswith("The Syrian opposition delegation") and "Home | World" not in src.text
    assert "\n\n" in src.text  # paragraphs separated by a blank line, as the record keeps them


def test_html_date_is_never_guessed_from_the_text(tmp_path):
    body = "".join(f"<p>The talks of 12 March 2016 in Geneva were recalled, paragraph {i}.</p>" for i in range(4))
    (tmp_path / "page.html").write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    assert one(tmp_path / "page.html").published is None


def test_bad_sources_are_failures_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Genève talks".encode("latin-1"))
    (tmp_path / "blank.html").write_text("<html><body><div></div></body></html>", encoding="utf-8")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "date.md").write_text("---\npublished: someday\n---\nText.", encoding="utf-8")
    (tmp_path / "data.csv").write_text("a,b", encoding="utf-8")
    reasons = {Path(i.origin).name: i.reason for p in sorted(tmp_path.iterdir()) for i in read_file(p)}
    assert reasons == {
        "bad.json": reasons["bad.json"], "blank.html": "no main text found in the HTML page",
        "data.csv": reasons["data.csv"], "date.md": "published: 'someday' is not a date (YYYY-MM-DD)",
        "empty.txt": "empty file", "latin1.txt": "not UTF-8 text (byte 3)",
    }
    assert reasons["bad.json"].startswith("not JSON") and reasons["data.csv"].startswith("unsupported format .csv")


def test_folder_recursive_sorted_skipping_reference_and_readme(tmp_path):
    (tmp_path / "reference" / "parties").mkdir(parents=True)
    (tmp_path / "reference" / "README.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an article", encoding="utf-8")
    (tmp_path / "b" / "c").mkdir(parents=True)
    (tmp_path / "b" / "c" / "2.txt").write_text("Second.", encoding="utf-8")
    (tmp_path / "b" / "1.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: A\n---\nZero.", encoding="utf-8")
    items = list(read_sources([tmp_path, tmp_path / "missing"], published=dt.date(2020, 1, 2)))
    assert [Path(i.origin).name for i in items] == ["a.md", "1.txt", "2.txt", "missing"]
    assert all(i.published == dt.date(2020, 1, 2) for i in items[:3])  # --published overrides
    assert isinstance(items[3], Failure) and items[3].reason == "no such file or folder"
