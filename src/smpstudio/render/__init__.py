"""Rendering: camera, dot rasteriser, views, close-ups and photo previews.

``render.raster`` draws pigment dots as area-correct anti-aliased discs into linear-RGB images.
"""
