"""Design: hairline, density plan, the blue-noise dot field and its split into sessions.

``bluenoise.sample_progressive`` places the dots; ``spatial_stats`` measures their spacing.
"""
