"""End to end: `smp plan` of the demo case (every view and the report), warm, with the time
of each step, against the issue's budget of 10 s. The peer is the budget itself: there is no
other SMP planner to compare with."""

from __future__ import annotations

import datetime as dt
import time

BUDGET_S = 10.0


def main() -> None:
    from smpstudio.cli.case_cmds import demo_case_text
    from smpstudio.io.aftercare_file import load_aftercare_rules
    from smpstudio.io.case_file import parse_case_text
    from smpstudio.io.plan_folder import plan_folder
    from smpstudio.planning.treatment_plan import plan_case

    case = parse_case_text(demo_case_text(), today=dt.date(2026, 11, 21))
    plan_folder(case, seed=None, size_px=1024)  # warm: numba compilation, table load
    timings = {}
    t0 = time.perf_counter()
    plan = plan_case(case, aftercare_rules=load_aftercare_rules())
    timings["assess + design + course"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    plan_folder(case, seed=None, size_px=1024)
    total = time.perf_counter() - t1
    timings["views + report (rest of plan_folder)"] = total - timings["assess + design + course"]
    for name, seconds in timings.items():
        print(f"{name:42s} {seconds:6.2f} s")
    print(f"{'smp plan, demo case, end to end':42s} {total:6.2f} s   budget {BUDGET_S:.0f} s, "
          f"ratio {BUDGET_S / total:.2f}x  ({plan.design.dots.count:,} dots)")  # fmt: skip


if __name__ == "__main__":
    main()
