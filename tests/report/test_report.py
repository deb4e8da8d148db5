"""report.html: sections, disclaimer, self-containment, pictures, escaping, determinism, HTML."""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.report import SECTION_HEADINGS, render_report, write_report

from .helpers import IMAGE_KEYS, sample_images, sample_plan, tiny_png

# Written out here, not taken from the package, so that a renamed heading fails the test.
HEADINGS = (
    "Your plan at a glance",
    "Before and after",
    "Your hairline and density, explained",
    "Your sessions",
    "Aftercare calendar",
    "What healing and fading look like",
    "Touch-ups",
    "Your quote",
    "Things to know",
)
DISCLAIMER_CORE = "illustrative, not a guarantee"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Figure slots: 5 views x (before, healed), design, 2 close-ups, front and top x (fresh, healed,
# faded).
FIGURE_SLOTS = 10 + 1 + 2 + 6
# The pictures the report shows (the side and back views only before and healed).
SHOWN = {
    *(
        f"views/{v}-{s}.png"
        for v in ("front", "top", "left", "right", "back")
        for s in ("before", "healed")
    ),
    *(f"views/{v}-{s}.png" for v in ("front", "top") for s in ("fresh", "faded")),
    "design.png",
    "closeups/hairline-healed.png",
    "closeups/crown-healed.png",
}


class TagChecker(HTMLParser):
    """Records every problem with the tag structure: unclosed, misnested or stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.counts: dict[str, int] = {}
        self.text: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] not in ("style",):
            self.text.append(data)


def parse(html_bytes: bytes) -> TagChecker:
    checker = TagChecker()
    checker.feed(html_bytes.decode("utf-8"))
    checker.close()
    return checker


@pytest.fixture(scope="module")
def html() -> str:
    return render_report(sample_plan(with_warnings=True), sample_images()).decode("utf-8")


def test_every_section_heading_is_an_h2(html: str) -> None:
    for heading in HEADINGS:
        assert html.count(f"<h2>{heading}</h2>") == 1, heading
    assert "<h1>Your treatment plan</h1>" in html
    assert SECTION_HEADINGS == HEADINGS
    positions = [html.index(f"<h2>{h}</h2>") for h in HEADINGS]
    assert positions == sorted(positions)


def test_disclaimer_near_the_top_and_next_to_the_pictures(html: str) -> None:
    assert html.count(DISCLAIMER_CORE) >= 2
    assert html.index(DISCLAIMER_CORE) < html.index("<h2>")
    before_after = html[html.index("<h2>Before and after</h2>") : html.index('id="design"')]
    assert DISCLAIMER_CORE in before_after
    things = html[html.index("<h2>Things to know</h2>") :]
    assert DISCLAIMER_CORE in things


def _without_data_uris(text: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]*", "data:", text)


def test_no_external_resources(html: str) -> None:
    text = _without_data_uris(html)
    for pattern in (r"https?:", r"//", r"@import", r"<script", r"<link", r"@font-face"):
        assert re.search(pattern, text, re.IGNORECASE) is None, pattern
    for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", text, re.IGNORECASE):
        assert url.startswith("data:"), url
    for attr in re.findall(r"\b(?:src|href)\s*=\s*\"([^\"]*)\"", text, re.IGNORECASE):
        assert attr.startswith("data:"), attr


def test_every_picture_is_embedded_as_base64_png(html: str) -> None:
    images = sample_images()
    assert SHOWN <= set(IMAGE_KEYS)
    for key, data in images.items():
        uri = f"data:image/png;base64,{base64.b64encode(data).decode('ascii')}"
        assert (uri in html) == (key in SHOWN), key
    assert "not rendered" not in html


def test_missing_and_broken_pictures_render_politely() -> None:
    empty = render_report(sample_plan(), {}).decode("utf-8")
    assert empty.count("not rendered") == FIGURE_SLOTS
    assert "data:image" not in empty
    partial = sample_images()
    del partial["views/front-healed.png"]
    partial["design.png"] = b"GIF89a not a png"
    partial["closeups/crown-healed.png"] = cast(bytes, "not bytes")
    text = render_report(sample_plan(), partial).decode("utf-8")
    assert text.count("not rendered") == 4  # front-healed is shown twice
    healing = text[text.index('id="healing"') : text.index('id="touch-ups"')]
    assert healing.count("not rendered") == 1 and 'alt="Top view, healed"' in healing
    assert parse(text.encode("utf-8")).problems == []


def test_client_strings_are_escaped() -> None:
    plan = sample_plan()
    evil = "<script>alert(1)</script>"
    plan["inputs"]["hair"]["colour"] = evil
    plan["inputs"]["hair"]["colour_hex"] = 'red" onload="x'
    plan["inputs"]["client"]["sex"] = "<b onmouseover=x>"
    plan["loss"]["pattern"] = "<img src=x onerror=alert(1)>"
    plan["warnings"] = ["Careful & <i>quoted</i> \"text\" 'here'"]
    plan["quote"]["currency"] = "<u>GBP</u>"
    plan["quote"]["lines"][0]["item"] = "</td></tr></table><script>x</script>"
    plan["aftercare"][0]["title"] = "<style>body{display:none}</style>"
    plan["sessions"][0]["shade_hex"] = "#000;background:url(x)"
    plan["touch_ups"][0]["reason"] = "<iframe></iframe>"
    plan["seed"] = "<svg onload=x>"
    out = render_report(plan, sample_images())
    text = out.decode("utf-8")
    lower = text.lower()
    for bad in ("<script", "<img src=x", "<b onmouseover", "<iframe", "<u>", "<i>", "<svg onload"):
        assert bad not in lower, bad
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Careful &amp; &lt;i&gt;quoted&lt;/i&gt; &quot;text&quot; &#x27;here&#x27;" in text
    assert "url(x)" not in text and 'red" onload' not in text
    assert text.count("<style>") == 1
    checker = parse(out)
    assert checker.problems == [] and checker.stack == []


def test_same_inputs_give_the_same_bytes() -> None:
    images = sample_images()
    reordered = dict(reversed(list(images.items())))
    first = render_report(sample_plan(), images)
    assert render_report(sample_plan(), reordered) == first
    assert render_report(sample_plan(), images) == first
    other = sample_plan()
    other["seed"] = 8
    assert render_report(other, images) != first


def test_money_in_the_quote_has_separators_and_currency() -> None:
    plan = sample_plan()
    plan["quote"] = {
        "currency": "GBP",
        "lines": [
            {"item": "4 sessions x 450.00 GBP", "amount": "1800.00"},
            {"item": "Treated area 1,000.0 cm2 x 1234.50 GBP/cm2", "amount": "1234500.00"},
            {"item": "Expected touch-up (35% of the course, due about 2031-03)", "amount": "0.05"},
        ],
        "total": "1236300.05",
    }
    text = render_report(plan, {}).decode("utf-8")
    quote = text[text.index('id="quote"') : text.index('id="know"')]
    for amount in ("GBP 1,800.00", "GBP 1,234,500.00", "GBP 0.05", "GBP 1,236,300.05"):
        assert amount in quote
    assert "March 2031" in quote and "cm²" in quote
    total = sum(Decimal(ln["amount"]) for ln in plan["quote"]["lines"])
    assert total == Decimal(plan["quote"]["total"])  # the fixture is consistent


def test_course_facts_reach_the_client(html: str) -> None:
    plan = sample_plan(with_warnings=True)
    # Weekdays checked against a calendar: 11 January 2027 is a Monday.
    assert "Monday 11 January 2027" in html
    assert "Tue 12 Jan 2027" in html  # the second sitting of the split session 1
    assert "Monday<br/>11 January 2027" in html  # the sessions table
    for session in plan["sessions"]:
        assert f'fill="{session["shade_hex"]}"' in html
        assert session["shade_hex"] in html
    care = html[html.index('id="aftercare"') : html.index('id="healing"')]
    assert care.count("<tr><td>") == len(plan["aftercare"])
    assert "ongoing" in care and "aftercare.ics" in care
    # Session 1 is split (Mon 11 and Tue 12 Jan): keep dry from day 0 to 4 after the last sitting.
    first_group = care[care.index("After session 1") : care.index("After session 2")]
    dry = first_group[first_group.index("Keep the treated scalp dry") :].split("</tr>")[0]
    assert "Mon 11 Jan 2027" in dry and "Sat 16 Jan 2027" in dry
    spf = care[care.index("Protect your scalp with SPF 30+") :].split("</tr>")[0]
    assert "Sun 21 Mar 2027" in spf and "ongoing" in spf
    for index in (1, 2, 3):
        assert f"After session {index} (" in care
    assert "Throughout your course" in care
    know = html[html.index('id="know"') :]
    assert know.count("<li>") == len(plan["warnings"]) == 3
    assert "unless you use SPF 30+" in know and "(11 January 2027, 12 January 2027)" in know
    assert "Norwood V: receding temples and thinning crown" in html
    assert "7.8 cm" in html and "12,646" in html and "198.4 cm²" in html
    assert "plan seed 7, schema version 1" in html


def test_printing_rules_are_in_the_style_sheet(html: str) -> None:
    style = html[html.index("<style>") : html.index("</style>")]
    assert re.search(r"@page\s*\{\s*size:\s*auto;\s*margin:", style)
    assert "break-before: page" in style and "page-break-before: always" in style
    assert "max-width: 100%" in style and "break-inside: avoid" in style
    assert "color: #1a1a1a" in style and "background: #ffffff" in style


def test_html_parses_with_balanced_tags(html: str) -> None:
    checker = parse(html.encode("utf-8"))
    assert checker.problems == [] and checker.stack == []
    assert checker.doctype.lower() == "doctype html"
    for tag in ("html", "head", "body", "main", "footer", "title", "style"):
        assert checker.counts.get(tag) == 1, tag
    assert checker.counts["section"] == len(HEADINGS)
    assert checker.counts["img"] == FIGURE_SLOTS


def test_write_report_writes_the_rendered_bytes(tmp_path: Path) -> None:
    target = write_report(tmp_path / "report.html", sample_plan(), {"design.png": tiny_png(3)})
    assert target.read_bytes() == render_report(sample_plan(), {"design.png": tiny_png(3)})


def test_non_mapping_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match="plan"):
        render_report(cast(Any, []), {})
    with pytest.raises(InputError, match="images"):
        render_report(sample_plan(), cast(Any, None))


JUNK = st.sampled_from([None, "", 0, -1, 3.5, float("nan"), [], {}, "x", [None], {"a": None}])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drop=st.sets(st.sampled_from(sorted(sample_plan().keys()))),
    junk=st.dictionaries(st.sampled_from(sorted(sample_plan().keys())), JUNK, max_size=4),
    session_junk=st.dictionaries(
        st.sampled_from(["date", "dots", "estimated_minutes", "shade_hex", "sittings", "index"]),
        JUNK,
        max_size=3,
    ),
)
def test_partial_or_damaged_plans_still_render(
    drop: set[str], junk: dict[str, Any], session_junk: dict[str, Any]
) -> None:
    plan = sample_plan()
    plan["sessions"][0].update(session_junk)
    for key in drop:
        plan.pop(key)
    plan.update(junk)
    out = render_report(plan, {})
    checker = parse(out)
    assert checker.problems == [] and checker.stack == []
    text = out.decode("utf-8")
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in text
    assert text.count(DISCLAIMER_CORE) >= 2


def test_diffuse_loss_names_the_nearest_norwood_stage() -> None:
    plan = sample_plan()
    plan["inputs"]["loss"]["pattern"] = "diffuse"
    plan["loss"].update(pattern="diffuse", nearest_norwood="4")
    text = render_report(plan, {}).decode("utf-8")
    assert "diffuse thinning spread evenly over the scalp" in text
    assert "The closest Norwood stage is Norwood IV." in text
    plan["loss"]["nearest_norwood"] = "norwood-3v"
    assert "stage is Norwood III vertex." in render_report(plan, {}).decode("utf-8")
    plan["loss"]["nearest_norwood"] = "<9>"
    assert "stage is Norwood &lt;9&gt;." in render_report(plan, {}).decode("utf-8")


def test_a_woman_with_ludwig_thinning_and_tricopigmentation() -> None:
    plan = sample_plan()
    plan["inputs"]["client"].update(sex="female", age_years=52, ethnicity="east_asian")
    plan["inputs"]["loss"]["pattern"] = "ludwig-2"
    plan["inputs"]["design"].update(technique="tricopigmentation", style="female")
    plan["inputs"]["design"]["density_per_cm2"] = 80.0
    plan["loss"].update(pattern="ludwig-2", nearest_norwood="3v")
    plan["hairline"].update(style="female", mid_frontal_height_mm=58.0)
    text = render_report(plan, {}).decode("utf-8")
    assert "Woman, 52" in text
    assert "Ludwig II: pronounced thinning on top" in text
    assert "closest Norwood stage" not in text  # said only when the pattern has no scale
    assert "Female hairline:" in text and "rounded, lower outline" in text
    assert "5.8 cm" in text and "typically 5\N{EN DASH}6.8 cm for women" in text
    # East Asian: 73 follicular units per cm2 (PMC6219221; Tsai 2002); 80/73 = 1.10.
    assert "about 73 follicular units" in text and "1.10 times that" in text
    assert "yours is denser" in text
    assert "semi-permanent" in text and "Between your own hairs" in text
