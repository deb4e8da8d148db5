"""The planning pipeline: assess, design, predict, plan the course and show it.

Each step is a function of the case and the previous steps' results; :mod:`.run` strings them
together into the files of an output folder. Nothing here parses input or prints.
"""
