"""Report sections 1-3: the plan at a glance, before and after, the hairline and density."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smpstudio.case.defaults import FOLLICULAR_UNITS_PER_CM2
from smpstudio.report.parts import data_table, facts, figure, notice, picture_grid, section
from smpstudio.report.text import (
    MISSING,
    esc,
    fmt_cm_from_mm,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_month,
    fmt_num,
    fmt_percent,
    get,
    number,
    swatch,
)
from smpstudio.report.words import (
    colour_name,
    fitzpatrick_words,
    loss_extras,
    norwood_name,
    pattern_words,
    region_words,
    sex_word,
    style_words,
)

HEADINGS = {
    "summary": "Your plan at a glance",
    "before-after": "Before and after",
    "design": "Your hairline and density, explained",
}
VIEWS = (
    ("front", "Front"),
    ("top", "Top"),
    ("left", "Left side"),
    ("right", "Right side"),
    ("back", "Back"),
)

# Final SMP density is 0.8-1.0 x the client's follicular-unit density (SMP practice,
# docs/references.md; the same band as smpstudio.case.defaults.DENSITY_FRAC_OF_FU).
DENSITY_RATIO_RANGE = (0.8, 1.0)
# Mid-frontal hairline height above the glabella (Shapiro 2004; PMC8367035):
# men 6.5-10 cm (Shapiro; Garg's 8-8-8), women 5.0-6.8 cm (PMC8367035).
HAIRLINE_RANGE_CM = {"male": "6.5\N{EN DASH}10 cm", "female": "5\N{EN DASH}6.8 cm"}

TECHNIQUE_WORDS = {
    "smp": (
        "Scalp micropigmentation (SMP): thousands of tiny permanent pigment dots that look "
        "like the tips of closely shaved hair"
    ),
    "tricopigmentation": (
        "Tricopigmentation: tiny pigment dots placed closer to the surface than SMP; they fade "
        "over about half a year to three years, so the look can be changed or renewed"
    ),
}


def treated_area_cm2(plan: Mapping[str, Any]) -> float | None:
    """The treated area: the sum of the regions' treated areas, cm2 (None when unknown)."""
    regions = get(plan, "regions", default=[])
    if not isinstance(regions, list) or not regions:
        return None
    values = [number(get(r, "treated_area_cm2")) for r in regions]
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def title_block(plan: Mapping[str, Any]) -> str:
    """The report's title, who it is for, the dates, and the disclaimer near the top."""
    inputs = get(plan, "inputs", default={})
    client = get(inputs, "client", default={})
    age = number(get(client, "age_years"))
    who = sex_word(get(client, "sex"))
    if age is not None:
        who += f", {round(age)} years old"
    lines = [f"Prepared for: <strong>{who}</strong>"]
    plan_date = get(plan, "plan_date")
    if plan_date is not None:
        lines.append(f"Plan date: {fmt_date(plan_date)}")
    first = get(plan, "sessions", 0, "date", default=get(inputs, "schedule", "start"))
    lines.append(f"First session at the clinic: {fmt_date(first)}")
    meta = "".join(f'<p class="meta">{line}</p>' for line in lines)
    return (
        '<header class="cover">\n<p class="kicker">Scalp micropigmentation</p>\n'
        f"<h1>Your treatment plan</h1>\n{meta}\n{notice()}\n</header>"
    )


def summary_section(plan: Mapping[str, Any]) -> str:
    """Section 1: who, what loss, what treatment, when, how much."""
    inputs = get(plan, "inputs", default={})
    client = get(inputs, "client", default={})
    hair = get(inputs, "hair", default={})
    design = get(inputs, "design", default={})
    loss_in = get(inputs, "loss", default={})
    age = number(get(client, "age_years"))
    you = sex_word(get(client, "sex"))
    if age is not None:
        you += f", {round(age)}"
    you += f"; skin {fitzpatrick_words(get(inputs, 'skin', 'fitzpatrick'))}"
    hair_colour = get(hair, "colour")
    if hair_colour is not None:
        you += f"; {colour_name(hair_colour)} hair {swatch(get(hair, 'colour_hex'), label=False)}"

    pattern = get(plan, "loss", "pattern", default=get(loss_in, "pattern"))
    loss = pattern_words(pattern)
    extras = loss_extras(loss_in)
    if extras:
        loss += "; plus " + ", ".join(extras)
    bald = number(get(plan, "loss", "bald_area_cm2"))
    if bald is not None:
        loss += f". About {fmt_num(bald, 0)} cm\N{SUPERSCRIPT TWO} of thinning or bald scalp"
        frac = get(plan, "loss", "bald_frac")
        if number(frac) is not None:
            loss += f" ({fmt_percent(frac)} of the hair-bearing scalp)"
        loss += "."
    nearest = get(plan, "loss", "nearest_norwood")
    if nearest is not None and not str(pattern).startswith(("norwood", "ludwig")):
        loss += f" The closest Norwood stage is {norwood_name(nearest)}."

    technique = get(design, "technique")
    treatment = TECHNIQUE_WORDS.get(str(technique), esc(technique))
    sessions = get(plan, "sessions", default=[])
    count = len(sessions) if isinstance(sessions, list) else 0
    when = ""
    if count:
        when = (
            f"{count} session{'s' if count > 1 else ''}, from {fmt_date(get(sessions, 0, 'date'))}"
            f" to {fmt_date(get(sessions, -1, 'date'))}"
        )
    style_name, _ = style_words(get(plan, "hairline", "style", default=get(design, "style")))
    height = get(
        plan, "hairline", "mid_frontal_height_mm", default=get(design, "mid_frontal_height_mm")
    )
    area = treated_area_cm2(plan)
    touch_ups = get(plan, "touch_ups", default=[])
    first_touch = get(touch_ups, 0, "date")
    kind = get(touch_ups, 0, "kind")
    first_kind = {"hairline": " (a hairline refresh)", "full": " (a full top-up)"}.get(
        str(kind), ""
    )
    quote = get(plan, "quote", default={})
    rows = [
        ("You", you),
        ("Your hair loss", loss),
        ("Treatment", treatment),
        ("Sessions", when or MISSING),
        ("Hairline", f"{style_name}, {fmt_cm_from_mm(height)} above the point between your brows"),
        (
            "Dots",
            f"{fmt_int(get(plan, 'dots', 'total'))} over "
            f"{fmt_num(area)} cm\N{SUPERSCRIPT TWO} of scalp",
        ),
        ("Fully healed", f"about {fmt_date(get(plan, 'fading', 'healed_date'))}"),
        ("First touch-up", f"expected around {fmt_month(first_touch)}{first_kind}"),
        ("Total quote", fmt_money(get(quote, "total"), get(quote, "currency"))),
    ]
    return section("summary", HEADINGS["summary"], [facts(rows)], new_page=False)


def before_after_section(images: Mapping[str, bytes]) -> str:
    """Section 2: each view before and healed, side by side."""
    rows = []
    for view, name in VIEWS:
        rows.append(
            [
                figure(
                    images, f"views/{view}-before.png", f"{name}, before", f"{name} view, before"
                ),
                figure(
                    images,
                    f"views/{view}-healed.png",
                    f"{name}, healed (about 4 weeks after the last session)",
                    f"{name} view, healed",
                ),
            ]
        )
    body = [
        "<p>The same head seen from five sides: on the left as it is today, on the right as "
        "the treated scalp is expected to look once the last session has healed. The pictures "
        "are computer previews of your plan, not photographs.</p>",
        notice(),
        picture_grid(rows, headers=["Before", "Healed"]),
    ]
    return section("before-after", HEADINGS["before-after"], body, new_page=True)


def design_section(plan: Mapping[str, Any], images: Mapping[str, bytes]) -> str:
    """Section 3: hairline style and height, density, treated area, regions, design pictures."""
    inputs = get(plan, "inputs", default={})
    design = get(inputs, "design", default={})
    sex = str(get(inputs, "client", "sex", default="male"))
    style = get(plan, "hairline", "style", default=get(design, "style"))
    style_name, style_text = style_words(style)
    height = get(
        plan, "hairline", "mid_frontal_height_mm", default=get(design, "mid_frontal_height_mm")
    )
    typical = HAIRLINE_RANGE_CM.get(sex)
    body = [
        "<h3>Your hairline</h3>",
        f"<p><strong>{style_name} hairline:</strong> {style_text}.</p>",
        f"<p>The middle of your new hairline sits <strong>{fmt_cm_from_mm(height)}</strong> above "
        "the point between your eyebrows"
        + (f" (typically {typical} for {'women' if sex == 'female' else 'men'})" if typical else "")
        + ". Your practitioner draws it on your scalp before the first session, and you approve "
        "it in the mirror before any pigment goes in.</p>",
        "<h3>Density</h3>",
        _density_paragraph(plan),
        _regions_table(plan),
        "<h3>The design</h3>",
        picture_grid(
            [
                [
                    figure(
                        images,
                        "design.png",
                        "Your design seen from above: every planned dot, with the new hairline.",
                        "Top view of the planned dots and hairline",
                    )
                ]
            ]
        ),
        picture_grid(
            [
                [
                    figure(
                        images,
                        "closeups/hairline-healed.png",
                        "Close-up of the healed hairline: the dots thin out gradually at the edge.",
                        "Close-up of the healed hairline",
                    ),
                    figure(
                        images,
                        "closeups/crown-healed.png",
                        "Close-up of the healed crown.",
                        "Close-up of the healed crown",
                    ),
                ]
            ]
        ),
    ]
    return section("design", HEADINGS["design"], body, new_page=True)


def _density_paragraph(plan: Mapping[str, Any]) -> str:
    inputs = get(plan, "inputs", default={})
    density = number(get(inputs, "design", "density_per_cm2"))
    ethnicity = get(inputs, "client", "ethnicity")
    natural = FOLLICULAR_UNITS_PER_CM2.get(str(ethnicity))
    cm2 = "cm\N{SUPERSCRIPT TWO}"
    parts = []
    if density is not None:
        parts.append(
            f"Where the scalp is treated fully, you will have <strong>{fmt_num(density, 0)} dots "
            f"per {cm2}</strong> once healed."
        )
    if natural is not None:
        text = (
            f"A typical natural density for your hair type is about {natural:g} follicular "
            f"units (the little groups that hairs grow in) per {cm2}"
        )
        if density is not None:
            low, high = DENSITY_RATIO_RANGE
            ratio = density / natural
            text += (
                f"; your plan is {ratio:.2f} times that. SMP usually aims for {low:.1f}\N{EN DASH}"
                f"{high:.1f} times, which looks full without the dots merging"
            )
            if ratio < low:
                text += "; yours is a little lighter, for a softer look"
            elif ratio > high:
                text += "; yours is denser, for a bolder look, with some risk of dots merging"
        parts.append(text + ".")
    parts.append(
        "The density fades in gently at the hairline and where your own hair remains, so the "
        "edges blend in."
    )
    area = treated_area_cm2(plan)
    parts.append(
        f"The treated area is <strong>{fmt_num(area)} {cm2}</strong>, with "
        f"<strong>{fmt_int(get(plan, 'dots', 'total'))} dots</strong> in total."
    )
    return "<p>" + " ".join(parts) + "</p>"


def _regions_table(plan: Mapping[str, Any]) -> str:
    regions = get(plan, "regions", default=[])
    if not isinstance(regions, list) or not regions:
        return "<p>The region-by-region breakdown is not available for this plan.</p>"
    cm2 = "cm\N{SUPERSCRIPT TWO}"
    rows = []
    totals = {"area_cm2": 0.0, "bald_area_cm2": 0.0, "treated_area_cm2": 0.0, "dots": 0.0}
    for region in regions:
        for key in totals:
            totals[key] += number(get(region, key)) or 0.0
        rows.append(
            [
                region_words(get(region, "name")),
                fmt_num(get(region, "area_cm2")),
                fmt_num(get(region, "bald_area_cm2")),
                fmt_num(get(region, "treated_area_cm2")),
                fmt_num(get(region, "target_density_per_cm2"), 0),
                fmt_int(get(region, "dots")),
            ]
        )
    footer = [
        "<strong>Total</strong>",
        fmt_num(totals["area_cm2"]),
        fmt_num(totals["bald_area_cm2"]),
        f"<strong>{fmt_num(totals['treated_area_cm2'])}</strong>",
        "",
        f"<strong>{fmt_int(totals['dots'])}</strong>",
    ]
    return data_table(
        [
            "Area of the scalp",
            f"Size ({cm2})",
            f"Thinning or bald ({cm2})",
            f"Treated ({cm2})",
            f"Dots per {cm2}",
            "Dots",
        ],
        rows,
        numeric=(1, 2, 3, 4, 5),
        footer=footer,
    )
