"""How the final dot density builds up over the sessions of a course.

Three sessions place 35% / 70% / 100% of the final density (SMP practice, docs/references.md; the
protocol study PMC12406178 uses 30/70/100). Other counts follow an equivalent ramp: a first
session of about a third, the rest in near-equal steps. Session 1 is the lightest (most
diluted); each later session darkens the shade (SMP practice: "session 1 lighter").
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError

# Cumulative fraction of the final dots placed after each session, by number of sessions.
CUMULATIVE_FRACS: dict[int, tuple[float, ...]] = {
    2: (0.50, 1.00),
    3: (0.35, 0.70, 1.00),
    4: (0.30, 0.55, 0.80, 1.00),
    5: (0.25, 0.45, 0.65, 0.85, 1.00),
    6: (0.22, 0.38, 0.54, 0.70, 0.85, 1.00),
    7: (0.20, 0.33, 0.46, 0.60, 0.73, 0.87, 1.00),
}

# Water fraction of the ink (0 = neat pigment) for the first and the last session; sessions
# between are interpolated. Scars get lighter ink (hypopigmented scar tissue shows dark dots
# more strongly; SMP practice: "scars a little denser with a lighter shade").
FIRST_SESSION_DILUTION_FRAC = 0.45
LAST_SESSION_DILUTION_FRAC = 0.15
SCAR_EXTRA_DILUTION_FRAC = 0.15


def cumulative_fracs(sessions: int) -> tuple[float, ...]:
    """Cumulative fractions of the final density after each session (last one is 1.0)."""
    if sessions not in CUMULATIVE_FRACS:
        raise InputError("design.sessions", sessions, "2..7")
    return CUMULATIVE_FRACS[sessions]


def session_dilution_fracs(
    sessions: int,
    *,
    first_frac: float = FIRST_SESSION_DILUTION_FRAC,
    last_frac: float = LAST_SESSION_DILUTION_FRAC,
) -> npt.NDArray[np.float64]:
    """Water fraction of the ink for each session, lightest first, shape ``(sessions,)``.

    Linear from ``first_frac`` (session 1) to ``last_frac`` (the last session), each 0..0.9.
    The design gives every dot its session's fraction; the course quotes the same numbers.
    """
    cumulative_fracs(sessions)
    return np.linspace(first_frac, last_frac, sessions)
