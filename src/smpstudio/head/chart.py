"""The scalp chart: exact maps between chart millimetres and the head surface.

docs/interface.md section 2. A chart point ``(u_mm, v_mm)`` has azimuth ``phi = atan2(u, v)``
(0 = anterior, +pi/2 = the client's right) and radius ``s = hypot(u, v)``, the arc length from
the vertex along the surface within the vertical half-plane at ``phi``. On the surface that
half-plane is the curve ``theta -> X(theta, phi)`` of :mod:`smpstudio.head.surface`, so

* chart -> surface: invert ``s(theta) = integral_0^theta sqrt(R^2 + R_theta^2)`` by Newton;
* surface -> chart: the polar angles of the point about the centre, then the arc integral.

Both use the same composite Gauss-Legendre quadrature, so a round trip closes to ~1e-9 mm.

Derived quantities, with ``L = ds/dtheta`` and ``s_phi = ds/dphi`` at fixed ``theta``:

* area element ``dA / (du dv) = |X_theta x X_phi| / (L s)`` (-> 1 at the vertex);
* metric: ``X_u, X_v`` from ``X_s = X_theta / L`` and ``X_phi|_s = X_phi - X_theta s_phi / L``;
* surface areas of chart shapes by Green's theorem, ``A = closed-integral G (u dv - v du)`` with
  ``G(s, phi) = Q / s^2`` and ``Q = integral_0^s J s' ds'`` (the area of the sector from the
  vertex), tabulated once per head and splined; only the outline of a shape is visited.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from scipy.interpolate import RectBivariateSpline

from smpstudio.errors import InputError
from smpstudio.head.surface import (
    GL_NODES,
    GL_WEIGHTS,
    P_YC,
    P_ZC,
    FloatArray,
    arcs_kernel,
    derivs_kernel,
    thetas_kernel,
)

THETA_MAX_RAD = 0.97 * math.pi  # the chart stops just short of the bottom pole
_DPHI_FD = 1e-5  # step (rad) for the azimuthal derivative of the arc length
_N_PHI_TABLE = 121
_N_THETA_TABLE = 300
_N_S_TABLE = 200
_TABLE_X, _TABLE_W = (0.5 * (np.array([-1.0, 1.0]) / math.sqrt(3.0) + 1.0), np.array([0.5, 0.5]))
_MAX_PIECE_MM = 4.0  # outline pieces for the Green's-theorem quadrature
_GREEN_X, _GREEN_W = np.polynomial.legendre.leggauss(3)


def _as_points(points: Any, dim: int, name: str) -> FloatArray:
    arr = np.asarray(points, dtype=float)
    if arr.ndim == 1 and arr.shape[0] == dim:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise InputError(name, f"array of shape {np.shape(points)}", f"shape (N, {dim})")
    if not np.all(np.isfinite(arr)):
        raise InputError(name, "non-finite values", "finite millimetres")
    return arr


class ScalpChart:
    """The chart of one fitted head surface (all lengths mm, areas mm2).

    Parameters
    ----------
    params
        Shape parameter vector of :mod:`smpstudio.head.surface`, shape ``(13,)``.
    """

    def __init__(self, params: FloatArray) -> None:
        self.params = np.array(params, dtype=float)
        self.params.setflags(write=False)
        self.centre_mm = np.array([0.0, self.params[P_YC], self.params[P_ZC]])
        self._build_area_table()

    # ----------------------------------------------------------- polar helpers

    def arc_mm(self, theta_rad: FloatArray, phi_rad: FloatArray) -> FloatArray:
        """Arc length (mm) from the vertex to polar angle ``theta`` in half-plane ``phi``."""
        t = np.ascontiguousarray(np.broadcast_to(theta_rad, np.shape(phi_rad)), dtype=float)
        p = np.ascontiguousarray(phi_rad, dtype=float)
        out = arcs_kernel(t.ravel(), p.ravel(), self.params, GL_NODES, GL_WEIGHTS)
        return np.asarray(out.reshape(p.shape))

    def max_arc_mm(self, phi_rad: FloatArray) -> FloatArray:
        """Largest chart radius (mm) at each azimuth: the arc down to ``THETA_MAX_RAD``."""
        phi = np.atleast_1d(np.asarray(phi_rad, dtype=float))
        return self.arc_mm(np.full(phi.shape, THETA_MAX_RAD), phi)

    def theta_of(self, s_mm: FloatArray, phi_rad: FloatArray) -> FloatArray:
        """Polar angle (rad) where the arc at azimuth ``phi`` reaches ``s_mm`` (NaN beyond)."""
        s = np.ascontiguousarray(s_mm, dtype=float).ravel()
        p = np.ascontiguousarray(phi_rad, dtype=float).ravel()
        guess = np.full(s.shape, -1.0)
        out = thetas_kernel(s, p, self.params, GL_NODES, GL_WEIGHTS, THETA_MAX_RAD, guess)
        return np.asarray(out.reshape(np.shape(s_mm)))

    def polar_point(self, theta_rad: FloatArray, phi_rad: FloatArray) -> FloatArray:
        """Surface points ``(N, 3)`` at polar angles about the centre."""
        theta = np.ascontiguousarray(theta_rad, dtype=float).ravel()
        phi = np.ascontiguousarray(phi_rad, dtype=float).ravel()
        r = derivs_kernel(theta, phi, self.params)[:, 0]
        st = np.sin(theta)
        return np.stack(
            [r * st * np.sin(phi), self.centre_mm[1] + r * st * np.cos(phi),
             self.centre_mm[2] + r * np.cos(theta)], axis=-1,
        )  # fmt: skip

    def _tangents(self, theta: FloatArray, phi: FloatArray) -> tuple[FloatArray, FloatArray]:
        d = derivs_kernel(theta, phi, self.params)
        r, rt, rp = d[:, 0:1], d[:, 1:2], d[:, 2:3]
        st, ct = np.sin(theta)[:, None], np.cos(theta)[:, None]
        sp, cp = np.sin(phi)[:, None], np.cos(phi)[:, None]
        e_r = np.concatenate([st * sp, st * cp, ct], axis=1)
        e_t = np.concatenate([ct * sp, ct * cp, -st], axis=1)
        e_p = np.concatenate([cp, -sp, np.zeros_like(sp)], axis=1)
        x_t = rt * e_r + r * e_t
        x_p = rp * e_r + r * st * e_p
        return x_t, x_p

    # ----------------------------------------------------------- the two maps

    def chart_to_surface(self, uv_mm: Any) -> FloatArray:
        """Head-frame points ``(N, 3)`` mm for chart points ``(N, 2)`` ``(u_mm, v_mm)``.

        Raises
        ------
        InputError
            For a chart point beyond the bottom of the modelled surface.
        """
        uv = _as_points(uv_mm, 2, "chart_mm")
        s = np.hypot(uv[:, 0], uv[:, 1])
        phi = np.arctan2(uv[:, 0], uv[:, 1])
        theta = self.theta_of(s, phi)
        if np.any(np.isnan(theta)):
            k = int(np.argmax(np.isnan(theta)))
            raise InputError(
                "chart_mm", uv[k].tolist(),
                f"a radius within {float(self.max_arc_mm(phi[k])[0]):.1f} mm at that azimuth",
            )  # fmt: skip
        return self.polar_point(theta, phi)

    def surface_polar(self, xyz_mm: Any) -> tuple[FloatArray, FloatArray]:
        """Polar angles ``(theta, phi)`` (rad) of head-frame points about the centre."""
        xyz = _as_points(xyz_mm, 3, "surface_mm")
        rel = xyz - self.centre_mm
        theta = np.arctan2(np.hypot(rel[:, 0], rel[:, 1]), rel[:, 2])
        phi = np.arctan2(rel[:, 0], rel[:, 1])
        return theta, phi

    def surface_to_chart(self, xyz_mm: Any) -> FloatArray:
        """Chart points ``(N, 2)`` mm of head-frame points ``(N, 3)`` on the surface.

        A point off the surface is taken along its ray from the centre (radial projection).
        """
        theta, phi = self.surface_polar(xyz_mm)
        s = self.arc_mm(theta, phi)
        return np.stack([s * np.sin(phi), s * np.cos(phi)], axis=-1)

    # ----------------------------------------------------------- differential geometry

    def _chart_polar(self, uv_mm: Any) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        uv = _as_points(uv_mm, 2, "chart_mm")
        s = np.hypot(uv[:, 0], uv[:, 1])
        phi = np.arctan2(uv[:, 0], uv[:, 1])
        theta = self.theta_of(s, phi)
        if np.any(np.isnan(theta)):
            raise InputError("chart_mm", "points beyond the surface", "points on the chart")
        return uv, s, phi, theta

    def area_element(self, uv_mm: Any) -> FloatArray:
        """Surface area per chart area, ``dA / (du dv)``, shape ``(N,)`` (1 at the vertex)."""
        _, s, phi, theta = self._chart_polar(uv_mm)
        return self._area_element_polar(s, theta, phi)

    def _area_element_polar(self, s: FloatArray, theta: FloatArray, phi: FloatArray) -> FloatArray:
        x_t, x_p = self._tangents(theta, phi)
        cross = np.linalg.norm(np.cross(x_t, x_p), axis=1)
        speed = np.linalg.norm(x_t, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            j = cross / (speed * s)
        return np.where(s < 1e-9, 1.0, j)

    def metric(self, uv_mm: Any) -> FloatArray:
        """First fundamental form in chart coordinates, shape ``(N, 2, 2)``.

        ``g[i, j] = dX/du_i . dX/du_j`` with ``(u_0, u_1) = (u_mm, v_mm)``; a chart step
        ``d`` has surface length ``sqrt(d @ g @ d)``. Radial steps have unit length.
        """
        uv, s, phi, theta = self._chart_polar(uv_mm)
        x_t, x_p = self._tangents(theta, phi)
        speed = np.linalg.norm(x_t, axis=1)
        s_phi = (self.arc_mm(theta, phi + _DPHI_FD) - self.arc_mm(theta, phi - _DPHI_FD)) / (
            2.0 * _DPHI_FD
        )
        x_s = x_t / speed[:, None]
        w = x_p - x_t * (s_phi / speed)[:, None]
        safe = np.where(s < 1e-9, 1.0, s)
        u, v = uv[:, 0:1], uv[:, 1:2]
        x_u = x_s * (u / safe[:, None]) + w * (v / safe[:, None] ** 2)
        x_v = x_s * (v / safe[:, None]) - w * (u / safe[:, None] ** 2)
        g = np.empty((uv.shape[0], 2, 2))
        g[:, 0, 0] = np.einsum("ij,ij->i", x_u, x_u)
        g[:, 0, 1] = g[:, 1, 0] = np.einsum("ij,ij->i", x_u, x_v)
        g[:, 1, 1] = np.einsum("ij,ij->i", x_v, x_v)
        g[s < 1e-9] = np.eye(2)
        return g

    def normals(self, uv_mm: Any) -> FloatArray:
        """Outward unit surface normals ``(N, 3)`` at chart points."""
        _, _s, phi, theta = self._chart_polar(uv_mm)
        x_t, x_p = self._tangents(theta, phi)
        n = np.cross(x_t, x_p)
        norm = np.linalg.norm(n, axis=1, keepdims=True)
        n = n / np.where(norm == 0.0, 1.0, norm)
        radial = self.polar_point(theta, phi) - self.centre_mm
        n *= np.sign(np.einsum("ij,ij->i", n, radial))[:, None]
        n[theta < 1e-9] = (0.0, 0.0, 1.0)
        return np.asarray(n)

    # ----------------------------------------------------------- areas of chart shapes

    def _build_area_table(self) -> None:
        """Tabulate ``G(s, phi) = Q / s^2`` for Green's-theorem areas (docstring above)."""
        phi = np.linspace(-math.pi, math.pi, _N_PHI_TABLE)
        edges = np.linspace(0.0, THETA_MAX_RAD, _N_THETA_TABLE + 1)
        half = int(np.argmin(np.abs(edges - 0.5 * math.pi)))
        edges[half] = 0.5 * math.pi  # a knot on the equator, where the integrand has a kink
        lo, width = edges[:-1], np.diff(edges)
        nodes = lo[:, None] + _TABLE_X[None, :] * width[:, None]  # (T, n)
        tt = np.broadcast_to(nodes[None], (phi.size, *nodes.shape)).ravel()
        pp = np.broadcast_to(phi[:, None, None], (phi.size, *nodes.shape)).ravel()
        x_t, x_p = self._tangents(tt, pp)
        shape = (phi.size, *nodes.shape)
        speed = np.linalg.norm(x_t, axis=1).reshape(shape)
        dq = np.linalg.norm(np.cross(x_t, x_p), axis=1).reshape(shape)
        zero = np.zeros((phi.size, 1))
        s_edges = np.concatenate([zero, np.cumsum((speed * _TABLE_W).sum(2) * width, 1)], 1)
        q_edges = np.concatenate([zero, np.cumsum((dq * _TABLE_W).sum(2) * width, 1)], 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            g_edges = np.where(s_edges > 0.0, q_edges / s_edges**2, 0.5)
        s_max = float(s_edges[:, -1].max())
        s_grid = np.linspace(0.0, s_max, _N_S_TABLE)
        g = np.empty((s_grid.size, phi.size))
        for j in range(phi.size):
            inside = s_grid <= s_edges[j, -1]
            g[:, j] = np.where(
                inside, np.interp(s_grid, s_edges[j], g_edges[j]),
                q_edges[j, -1] / np.maximum(s_grid, 1e-9) ** 2,
            )  # fmt: skip
        pad = 6
        phi_p = np.concatenate(
            [phi[-pad - 1 : -1] - 2 * math.pi, phi, phi[1 : pad + 1] + 2 * math.pi]
        )
        g_p = np.concatenate([g[:, -pad - 1 : -1], g, g[:, 1 : pad + 1]], axis=1)
        self._g_spline = RectBivariateSpline(s_grid, phi_p, g_p, kx=3, ky=3)

    def _ring_area_mm2(self, ring: FloatArray) -> float:
        a, b = ring[:-1], ring[1:]
        seg = np.linalg.norm(b - a, axis=1)
        npieces = np.maximum(1, np.ceil(seg / _MAX_PIECE_MM)).astype(int)
        idx = np.repeat(np.arange(a.shape[0]), npieces)
        k = np.arange(idx.size) - np.repeat(np.cumsum(npieces) - npieces, npieces)
        f0 = (k / npieces[idx])[:, None]
        f1 = ((k + 1) / npieces[idx])[:, None]
        p0 = a[idx] + f0 * (b[idx] - a[idx])
        p1 = a[idx] + f1 * (b[idx] - a[idx])
        cross = p0[:, 0] * p1[:, 1] - p0[:, 1] * p1[:, 0]
        t = 0.5 * (_GREEN_X + 1.0)
        pts = p0[:, None, :] + t[None, :, None] * (p1 - p0)[:, None, :]
        s = np.hypot(pts[..., 0], pts[..., 1]).ravel()
        phi = np.arctan2(pts[..., 0], pts[..., 1]).ravel()
        g = self._g_spline.ev(s, phi).reshape(pts.shape[:2])
        return float(np.sum(cross * (g @ (0.5 * _GREEN_W))))

    def surface_area_mm2(self, geom: Any) -> float:
        """Surface area (mm2) of a shapely (multi)polygon drawn on the chart.

        Green's theorem over the outline (holes subtract), so the cost grows with the number
        of outline vertices, not with the area; accurate to ~1e-4 relative.
        """
        if geom is None or geom.is_empty:
            return 0.0
        total = 0.0
        for poly in shapely.get_parts(geom):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            poly = shapely.geometry.polygon.orient(poly, 1.0)
            total += self._ring_area_mm2(np.asarray(poly.exterior.coords))
            for hole in poly.interiors:
                total += self._ring_area_mm2(np.asarray(hole.coords))
        return total
