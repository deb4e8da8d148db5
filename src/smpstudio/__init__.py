"""SMP Studio: plan, preview and run scalp micropigmentation treatments.

The core (head, loss, design, optics, course, render) knows nothing of the CLI or
web; the edges (``smpstudio.cli``, ``smpstudio.io``) validate input and call it.
"""

__version__ = "0.1.0"
