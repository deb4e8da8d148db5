"""Optics of scalp skin and pigment: Monte Carlo light transport, skin and pigment models, colour.

Subpackages and modules: :mod:`smpstudio.optics.mcml` (the MCML Monte Carlo engine and its
``.mci`` reader) and the skin, pigment and colour models beside it.
"""
