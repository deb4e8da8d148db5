"""The case-file schema (docs/interface.md section 3) as strict pydantic models.

Only the edge imports this module. Every key is optional; ranges are the allowed values, and
the defaults are filled afterwards by :func:`smpstudio.case.defaults.complete_case`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from smpstudio.case.defaults import HAIR_COLOURS_HEX
from smpstudio.case.model import (
    Ethnicity,
    HairlineStyleName,
    LossPattern,
    RegionName,
    Sex,
    SunExposure,
    Technique,
)
from smpstudio.optics.colour import is_srgb_hex

Strict = ConfigDict(extra="forbid", strict=True, frozen=True)

Point = Annotated[list[Annotated[float, Field(ge=-300, le=300)]], Field(min_length=2, max_length=2)]


class ClientIn(BaseModel):
    model_config = Strict
    sex: Sex | None = None
    age_years: Annotated[int, Field(ge=16, le=100)] | None = None
    ethnicity: Ethnicity | None = None


class HeadIn(BaseModel):
    model_config = Strict
    circumference_mm: Annotated[float, Field(ge=480, le=680)] | None = None
    length_mm: Annotated[float, Field(ge=160, le=240)] | None = None
    breadth_mm: Annotated[float, Field(ge=125, le=185)] | None = None
    tragion_to_vertex_mm: Annotated[float, Field(ge=100, le=160)] | None = None


class SkinIn(BaseModel):
    model_config = Strict
    fitzpatrick: Annotated[int, Field(ge=1, le=6)] | None = None


class HairIn(BaseModel):
    model_config = Strict
    colour: str | None = None
    existing_density_frac: Annotated[float, Field(ge=0.0, le=1.0)] | None = None

    @field_validator("colour")
    @classmethod
    def _known_colour(cls, value: str | None) -> str | None:
        if value is None or value in HAIR_COLOURS_HEX or is_srgb_hex(value):
            return value
        raise ValueError("allowed:" + " | ".join(HAIR_COLOURS_HEX) + ' | "#RRGGBB"')


class PatchIn(BaseModel):
    model_config = Strict
    u_mm: Annotated[float, Field(ge=-250, le=250)]
    v_mm: Annotated[float, Field(ge=-250, le=250)]
    radius_mm: Annotated[float, Field(ge=2, le=100)] | None = None
    rx_mm: Annotated[float, Field(ge=2, le=100)] | None = None
    ry_mm: Annotated[float, Field(ge=2, le=100)] | None = None
    angle_deg: Annotated[float, Field(ge=-180, le=180)] | None = None

    @model_validator(mode="after")
    def _one_size(self) -> PatchIn:
        has_radius = self.radius_mm is not None
        has_axes = self.rx_mm is not None and self.ry_mm is not None
        if has_radius == has_axes or (not has_axes and (self.rx_mm or self.ry_mm)):
            raise ValueError("allowed:either radius_mm, or both rx_mm and ry_mm")
        return self


class LineScarIn(BaseModel):
    model_config = Strict
    kind: Literal["line"]
    points_mm: Annotated[list[Point], Field(min_length=2, max_length=200)]
    width_mm: Annotated[float, Field(ge=0.5, le=30)]


class FueScarsIn(BaseModel):
    model_config = Strict
    kind: Literal["fue"]
    region: RegionName
    count: Annotated[int, Field(ge=1, le=10000)]
    diameter_mm: Annotated[float, Field(ge=0.3, le=2.5)]


class AreaIn(BaseModel):
    model_config = Strict
    polygon_mm: Annotated[list[Point], Field(min_length=3, max_length=500)]


class LossIn(BaseModel):
    model_config = Strict
    pattern: LossPattern | None = None
    patches: Annotated[list[PatchIn], Field(max_length=50)] | None = None
    scars: (
        Annotated[
            list[Annotated[LineScarIn | FueScarsIn, Field(discriminator="kind")]],
            Field(max_length=50),
        ]
        | None
    ) = None
    areas: Annotated[list[AreaIn], Field(max_length=50)] | None = None


class DesignIn(BaseModel):
    model_config = Strict
    technique: Technique | None = None
    style: HairlineStyleName | None = None
    mid_frontal_height_mm: Annotated[float, Field(ge=40, le=120)] | None = None
    density_per_cm2: Annotated[float, Field(ge=10, le=150)] | None = None
    sessions: Annotated[int, Field(ge=2, le=7)] | None = None
    max_session_minutes: Annotated[float, Field(ge=60, le=600)] | None = None
    depth_mm: Annotated[float, Field(ge=0.02, le=2.5)] | None = None
    impressions_per_second: Annotated[float, Field(ge=0.5, le=3.0)] | None = None
    hairline_points_mm: Annotated[list[Point], Field(min_length=3, max_length=400)] | None = None


class ScheduleIn(BaseModel):
    model_config = Strict
    start: dt.date | None = None
    sun_exposure: SunExposure | None = None
    timezone: str | None = None
    session_start_time: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError("allowed:an IANA time zone name such as Europe/London") from None
        return value

    @field_validator("session_start_time")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            parsed = dt.time.fromisoformat(value)
        except ValueError:
            raise ValueError('allowed:a time of day "HH:MM" such as "09:30"') from None
        if not dt.time(6, 0) <= parsed <= dt.time(20, 0):
            raise ValueError('allowed:a time of day between "06:00" and "20:00"')
        return value


class PricingIn(BaseModel):
    model_config = Strict
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        default=None, description="a three-letter currency code such as USD"
    )
    per_session: Annotated[float, Field(ge=0, le=100000)] | None = None
    per_cm2: Annotated[float, Field(ge=0, le=1000)] | None = None
    touch_up_frac: Annotated[float, Field(ge=0, le=1)] | None = None


class CaseIn(BaseModel):
    model_config = Strict
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] | None = None
    client: ClientIn | None = None
    head: HeadIn | None = None
    skin: SkinIn | None = None
    hair: HairIn | None = None
    loss: LossIn | None = None
    design: DesignIn | None = None
    schedule: ScheduleIn | None = None
    pricing: PricingIn | None = None
