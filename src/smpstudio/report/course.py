"""Report sections 4-9: sessions, aftercare, healing and fading, touch-ups, quote, things to know.

The healing timeline uses SMP practice (docs/references.md): fresh dots are 1.5-2 times
their healed size; visual density falls about 10% in the first six months; an SMP touch-up
comes after about 4 years (1-10), sooner in strong sun.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smpstudio.report.parts import data_table, figure, notice, picture_grid, section
from smpstudio.report.text import (
    MISSING,
    esc,
    fmt_date,
    fmt_date_short,
    fmt_duration,
    fmt_int,
    fmt_money,
    fmt_month,
    fmt_num,
    fmt_percent,
    get,
    lab_to_hex,
    number,
    parse_date,
    swatch,
)
from smpstudio.report.words import (
    DISCLAIMER,
    contrast_words,
    coolness_words,
    plain_text,
    tone_words,
)

HEADINGS = {
    "sessions": "Your sessions",
    "aftercare": "Aftercare calendar",
    "healing": "What healing and fading look like",
    "touch-ups": "Touch-ups",
    "quote": "Your quote",
    "know": "Things to know",
}
TOUCH_UP_WORDS = {"hairline": "Hairline refresh", "full": "Full top-up"}


def _sessions(plan: Mapping[str, Any]) -> list[Any]:
    sessions = get(plan, "sessions", default=[])
    return sessions if isinstance(sessions, list) else []


def _what_happens(index: int, count: int, hairline_dots: Any) -> str:
    if count == 1:
        return "The whole treatment in one session."
    if index == 1:
        return "First layer: a light, even spread of dots over the whole area, in a lighter shade."
    if index < count:
        return "Builds density: new dots between the first ones, a little darker."
    text = "Final layer: completes the density and the shade"
    if (number(hairline_dots) or 0) > 0:
        text += f", and refines the hairline with a finer needle ({fmt_int(hairline_dots)} dots)"
    return text + "."


def sessions_section(plan: Mapping[str, Any]) -> str:
    """Section 4: a table of the sessions, with sittings when a session is split."""
    sessions = _sessions(plan)
    schedule = get(plan, "inputs", "schedule", default={})
    start = get(schedule, "session_start_time")
    body = [
        "<p>SMP is built up in layers. Each session adds dots between the earlier ones, the "
        "first lighter and the later ones darker, so that the healed result looks even and "
        "natural. Between sessions the skin heals.</p>"
    ]
    if start is not None:
        zone = get(schedule, "timezone")
        body.append(
            f"<p>Sessions start at {esc(str(start)[:5])}"
            + (f" ({esc(zone)} time)" if zone else "")
            + ". The times below include preparation and short breaks.</p>"
        )
    rows = []
    for i, s in enumerate(sessions, start=1):
        index = int(number(get(s, "index")) or i)
        what = _what_happens(index, len(sessions), get(s, "hairline_dots"))
        needle = get(s, "needle")
        if needle is not None:
            what += f' <span class="small">Needle: {esc(needle)}.</span>'
        day = parse_date(get(s, "date"))
        rows.append(
            [
                str(index),
                fmt_date(day).replace(" ", "<br/>", 1) if day else fmt_date(get(s, "date")),
                what,
                fmt_duration(get(s, "estimated_minutes")),
                f"{fmt_int(get(s, 'dots'))}"
                f'<br/><span class="small">{fmt_int(get(s, "cumulative_dots"))} in total</span>',
                swatch(get(s, "shade_hex")) or MISSING,
                _sitting_notes(get(s, "sittings", default=[])),
            ]
        )
    if rows:
        body.append(
            data_table(
                ["Session", "Date", "What happens", "Time", "Dots", "Healed shade", "Notes"],
                rows,
                numeric=(3, 4),
                cls="data sessions",
                column_classes={1: "date", 2: "what", 6: "notes"},
            )
        )
    else:
        body.append("<p>The session dates are not available for this plan.</p>")
    body.append(
        '<p class="small">The shade swatch shows the colour a healed dot is expected to have '
        "on your skin; the first session is deliberately lighter.</p>"
    )
    return section("sessions", HEADINGS["sessions"], body, new_page=True)


def _sitting_notes(sittings: Any) -> str:
    if not isinstance(sittings, list) or len(sittings) <= 1:
        return "One sitting."
    parts = [
        f'<span class="date">{fmt_date_short(get(s, "date"))}</span>: '
        f"{fmt_duration(get(s, 'estimated_minutes'))}, {fmt_int(get(s, 'dots'))} dots"
        for s in sittings
    ]
    items = "".join(f"<li>{p}</li>" for p in parts)
    return (
        f"Split into {len(sittings)} sittings on consecutive days, so that no visit is too "
        f'long:<ul class="tight">{items}</ul>'
    )


def aftercare_section(plan: Mapping[str, Any]) -> str:
    """Section 5: the aftercare rules with their dates, grouped per session."""
    items = get(plan, "aftercare", default=[])
    items = items if isinstance(items, list) else []
    body = [
        "<p>Looking after your scalp in the days after each session is the biggest thing you can "
        "do for a good result. The dates below are inclusive. Everything here is also in the "
        "attached calendar file <strong>aftercare.ics</strong>: open it on your phone or "
        "computer to add every session and every rule to your calendar, with reminders.</p>"
    ]
    groups: list[tuple[str, list[Any]]] = []
    for i, s in enumerate(_sessions(plan), start=1):
        index = number(get(s, "index")) or i
        mine = [it for it in items if number(get(it, "session")) == index]
        if mine:
            heading = f"After session {int(index)} ({fmt_date(get(s, 'date'))})"
            groups.append((heading, mine))
    grouped = {id(it) for _, g in groups for it in g}
    rest = [it for it in items if id(it) not in grouped]
    if rest:
        groups.append(("Throughout your course, and after it", rest))
    for heading, group in groups:
        rows = [
            [
                f"<strong>{esc(get(it, 'title', default=get(it, 'rule')))}</strong>"
                + (f"<br/>{esc(get(it, 'text'))}" if get(it, "text") is not None else ""),
                fmt_date_short(get(it, "start")),
                "ongoing" if get(it, "end") is None else fmt_date_short(get(it, "end")),
                f'<span class="small">{esc(get(it, "reason", default=""))}</span>',
            ]
            for it in group
        ]
        body.append(
            f'<div class="group"><h3>{heading}</h3>'
            + data_table(
                ["What to do", "From", "Until", "Why"],
                rows,
                cls="data care",
                column_classes={1: "date", 2: "date"},
            )
            + "</div>"
        )
    if not groups:
        body.append("<p>Your practitioner will give you the aftercare rules in person.</p>")
    return section("aftercare", HEADINGS["aftercare"], body, new_page=True)


def healing_section(plan: Mapping[str, Any], images: Mapping[str, bytes]) -> str:
    """Section 6: fresh, healed and faded pictures, the timeline and the colour in words."""
    fading = get(plan, "fading", default={})
    faded_when = fmt_month(get(fading, "faded_date"))
    years = number(get(fading, "faded_years"))
    faded_caption = f"around {faded_when}"
    if years is not None:
        faded_caption += f", {years:.1f} years after healing, when a top-up is due"
    rows = []
    for view, name in (("front", "Front"), ("top", "Top")):
        rows.append(
            [
                figure(images, f"views/{view}-fresh.png", f"{name}: just after a session",
                       f"{name} view, fresh"),
                figure(images, f"views/{view}-healed.png", f"{name}: about 4 weeks later",
                       f"{name} view, healed"),
                figure(images, f"views/{view}-faded.png", f"{name}: {faded_caption}",
                       f"{name} view, faded"),
            ]
        )  # fmt: skip
    pictures = picture_grid(rows, headers=["Fresh", "Healed", "Faded"])
    remaining = get(fading, "pigment_remaining_frac")
    sun = get(plan, "inputs", "schedule", "sun_exposure")
    years_text = (
        "Over the years the dots fade gradually: about a tenth of their strength in the first "
        "six months, then more slowly."
    )
    if number(remaining) is not None:
        years_text += (
            f" By around {faded_when} about {fmt_percent(remaining)} of the healed depth of "
            "colour is expected to remain; that is when a top-up is due."
        )
    years_text += " Sun speeds fading more than anything else"
    if sun is not None:
        years_text += f" (your plan assumes {esc(sun)} sun exposure)"
    years_text += ": a hat or SPF 30+ sunscreen makes your result last longer."
    timeline = (
        '<ol class="timeline">'
        "<li><strong>The first days.</strong> The dots look darker and larger than they will "
        "be, and the skin may be slightly red. Tiny scabs form and flake off within about a "
        "week; do not pick them.</li>"
        "<li><strong>About 4 weeks.</strong> Healed: the dots are lighter and smaller, about "
        "half to two-thirds of their fresh size, and look like the tips of shaved hair.</li>"
        f"<li><strong>The years after.</strong> {years_text}</li></ol>"
    )
    body = [
        "<p>The front and the top of your head three times each: straight after a session, "
        "healed, and years later.</p>",
        notice(),
        pictures,
        timeline,
        _appearance_block(get(plan, "appearance", default={})),
    ]
    return section("healing", HEADINGS["healing"], body, new_page=True)


def _appearance_block(appearance: Any) -> str:
    """The healed dot's colour in plain words, swatches, and the numbers in a small note."""
    skin_lab = get(appearance, "skin_lab")
    fresh_lab = get(appearance, "dot_lab_fresh")
    healed_lab = get(appearance, "dot_lab_healed")
    faded_lab = get(appearance, "dot_lab_faded")
    contrast = contrast_words(get(appearance, "delta_e2000_healed"))
    tone = tone_words(healed_lab)
    cool = coolness_words(get(appearance, "blue_shift_index"))
    if contrast is None and tone is None:
        return "<p>The colour prediction for your skin is not available in this plan.</p>"
    sentence = "Healed dots read as "
    sentence += " ".join(w for w in (contrast, tone) if w) + " dots against your skin"
    sentence += f", {cool}." if cool else "."
    swatches = [
        ("Your skin", skin_lab),
        ("Fresh dot", fresh_lab),
        ("Healed dot", healed_lab),
        ("Faded dot", faded_lab),
    ]
    cells = [
        f"<td>{swatch(lab_to_hex(lab), label=False, size_mm=12)}<br/>{label}</td>"
        for label, lab in swatches
        if lab_to_hex(lab) is not None
    ]
    strip = f'<table class="swatches"><tbody><tr>{"".join(cells)}</tr></tbody></table>'
    tech = []
    for label, lab in swatches:
        if lab_to_hex(lab) is not None:
            tech.append(f"{label.lower()} L*a*b* = " + ", ".join(fmt_num(v) for v in lab))
    de = number(get(appearance, "delta_e2000_healed"))
    if de is not None:
        tech.append(f"healed colour difference \N{GREEK CAPITAL LETTER DELTA}E2000 = {de:.1f}")
    bsi = number(get(appearance, "blue_shift_index"))
    if bsi is not None:
        tech.append(f"blue-shift index = {bsi:.2f} (0 is neutral, larger is bluer)")
    note = (
        '<p class="small tech">Technical note: CIELAB under D65, 2-degree observer; '
        + "; ".join(tech)
        + ". The swatches are approximate on screen and in print.</p>"
    )
    return f"<h3>The colour of your dots</h3><p>{sentence}</p>{strip}{note}"


def touch_ups_section(plan: Mapping[str, Any]) -> str:
    """Section 7: predicted touch-ups with dates and reasons."""
    touch_ups = get(plan, "touch_ups", default=[])
    touch_ups = touch_ups if isinstance(touch_ups, list) else []
    rows = [
        [
            f"{fmt_month(get(t, 'date'))}"
            f'<br/><span class="small">({fmt_date(get(t, "date"), weekday=False)})</span>',
            esc(TOUCH_UP_WORDS.get(str(get(t, "kind")), get(t, "kind"))),
            plain_text(get(t, "reason", default="")),
        ]
        for t in touch_ups
    ]
    body = [
        "<p>Pigment fades slowly over the years, so SMP needs an occasional top-up to stay "
        "crisp. These dates are predictions; your practitioner will check your scalp at "
        "follow-up visits and tell you when a top-up is actually worth doing.</p>"
    ]
    if rows:
        body.append(data_table(["When", "What", "Why"], rows, cls="data"))
    else:
        body.append("<p>No touch-up is planned yet.</p>")
    return section("touch-ups", HEADINGS["touch-ups"], body, new_page=True)


def quote_section(plan: Mapping[str, Any]) -> str:
    """Section 8: the quote lines and total, money with separators and currency code."""
    quote = get(plan, "quote", default={})
    currency = get(quote, "currency")
    lines = get(quote, "lines", default=[])
    lines = lines if isinstance(lines, list) else []
    rows = [
        [plain_text(get(ln, "item", default="")), fmt_money(get(ln, "amount"), currency)]
        for ln in lines
    ]
    body = []
    if rows:
        footer = [
            "<strong>Total</strong>",
            f"<strong>{fmt_money(get(quote, 'total'), currency)}</strong>",
        ]
        body.append(data_table(["Item", "Amount"], rows, numeric=(1,), footer=footer))
    else:
        body.append("<p>Your practitioner will give you the price in person.</p>")
    body.append(
        "<p>The touch-up line is an estimate: it is paid only when the touch-up takes place, "
        "and its date and price depend on how your result fades.</p>"
    )
    return section("quote", HEADINGS["quote"], body, new_page=False)


def know_section(plan: Mapping[str, Any]) -> str:
    """Section 9: the plan's warnings in plain words and the disclaimer again."""
    warnings = get(plan, "warnings", default=[])
    warnings = warnings if isinstance(warnings, list) else []
    body = []
    if warnings:
        body.append(
            "<p>Your practitioner noted the following points about your plan; please ask "
            "about any of them:</p>"
        )
        body.append("<ul>" + "".join(f"<li>{plain_text(w)}</li>" for w in warnings) + "</ul>")
    else:
        body.append("<p>Nothing unusual came up in your plan.</p>")
    body.append(f"<p>{_what_it_is(plan)}</p>")
    body.append(notice(DISCLAIMER))
    return section("know", HEADINGS["know"], body, new_page=False)


def _what_it_is(plan: Mapping[str, Any]) -> str:
    """What the treatment can and cannot do, for this client's technique and hair."""
    inputs = get(plan, "inputs", default={})
    own_hair = get(inputs, "client", "sex") == "female" or str(
        get(inputs, "loss", "pattern", default="")
    ).startswith(("ludwig", "diffuse"))
    text = "Micropigmentation does not grow hair. "
    if own_hair:
        text += (
            "Between your own hairs it darkens the scalp, so that the contrast between hair "
            "and scalp, and with it the look of thinning, is reduced. "
        )
    else:
        text += "It adds the look of closely shaved hair, so it suits a short, buzzed style. "
    if get(inputs, "design", "technique") == "tricopigmentation":
        text += "Tricopigmentation is semi-permanent: it fades within about half a year to "
        text += "three years and needs renewing to keep the look."
    else:
        text += "The pigment is permanent: it fades slowly but does not wash out."
    return text


def footer(plan: Mapping[str, Any]) -> str:
    """For the clinic's records: seed and schema version."""
    return (
        "<footer><p>For the clinic's records: plan seed "
        f"{esc(get(plan, 'seed', default=MISSING))}, schema version "
        f"{esc(get(plan, 'schema_version', default=MISSING))}. Made with SMP Studio.</p></footer>"
    )
