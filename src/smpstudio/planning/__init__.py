"""The planning pipeline: assess, design, predict and plan the course of one case.

Each step is a function of the case and the previous steps' results;
:func:`smpstudio.planning.treatment_plan.plan_case` strings them together into a
:class:`~smpstudio.planning.treatment_plan.TreatmentPlan`. Pictures and the report are made
from it by the layers above (render, report, io). Nothing here parses input, prints or reads
files.
"""
