"""Generalised least squares with AR(1) errors in calendar days, fitted by REML.

The model is ``y = X β + e`` with ``Var(e) = σ² C(φ)`` and ``C[i, j] = φ^|dᵢ − dⱼ|`` where ``d`` is
the calendar day of each *observed* value. Missing days are simply absent: an AR(1) process
observed with gaps is still Markov, so its precision matrix is tridiagonal and the whole fit is
O(n) — no n×n matrix is ever formed. This is the model of R's
``nlme::gls(y ~ ..., correlation = corAR1(form = ~ day), method = "REML")`` and the estimates, φ
and standard errors agree with it (see ``tests/fixtures/reference``).

Why a second interval: the plain REML interval treats φ̂ and σ̂ as if they were known. With a few
dozen correlated days φ̂ is noisy and biased towards zero, so the plain interval undercovers
(about 92–93 % nominal 95 %). We therefore report the nlme standard error unchanged but build the
95 % interval with the Kenward–Roger small-sample adjustment (Kenward MG, Roger JH. Biometrics
1997;53:983–997): an inflated covariance Φ_A and Satterthwaite-type degrees of freedom. All the
derivatives it needs are derivatives of the tridiagonal precision bands, so it stays O(n).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, stats

#: φ is searched on the atanh scale inside (−PHI_LIMIT, PHI_LIMIT); ±1 is a degenerate model.
PHI_LIMIT = 0.9999
_GRID = np.tanh(np.linspace(-4.0, 4.0, 41))


@dataclass(frozen=True)
class Ar1Fit:
    """A fitted AR(1) GLS model.

    ``coef``/``se`` follow the columns of the design matrix; ``se`` is the nlme standard
    error.
    ``kr_se``/``kr_df`` give the Kenward–Roger interval for the contrast asked for
    (``estimate ± t(kr_df) · kr_se``). ``sigma`` is the residual SD in outcome units.
    """

    coef: tuple[float, ...]
    se: tuple[float, ...]
    phi: float
    sigma: float
    n: int
    contrast: int
    kr_se: float
    kr_df: float

    @property
    def estimate(self) -> float:
        return self.coef[self.contrast]

    @property
    def plain_se(self) -> float:
        return self.se[self.contrast]

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Kenward–Roger interval for the contrast coefficient: ``fit.interval() → (lo, hi)``."""
        half = stats.t.ppf(0.5 + level / 2.0, self.kr_df) * self.kr_se
        return self.estimate - half, self.estimate + half


def _bands(phi: np.ndarray, gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lag correlations ρₜ = φ^gapₜ between consecutive observations, and 1 − ρₜ² (per φ row)."""
    rho = np.power(phi[:, None], gaps[None, :])
    return rho, 1.0 - rho * rho


def _whiten(v: np.ndarray, rho: np.ndarray, one_m: np.ndarray) -> np.ndarray:
    """Apply the inverse Cholesky factor of C: z₁ = v₁, zₜ = (vₜ − ρₜ vₜ₋₁)/√(1 − ρₜ²).

    ``v`` is (n, k); the result is (m, n, k) for m values of φ.
    """
    head = np.broadcast_to(v[:1], (rho.shape[0], 1, v.shape[1]))
    tail = (v[None, 1:, :] - rho[:, :, None] * v[None, :-1, :]) / np.sqrt(one_m)[:, :, None]
    return np.concatenate([head, tail], axis=1)


def _criterion(phi: np.ndarray, gaps: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """−2 × REML log-likelihood (σ² profiled out, constants dropped) for each φ.

    (n − p)·log RSS + log|C| + log|X'C⁻¹X|, the criterion nlme minimises.
    """
    rho, one_m = _bands(phi, gaps)
    z = _whiten(xy, rho, one_m)
    cross = np.einsum("mni,mnj->mij", z, z)
    p = xy.shape[1] - 1
    xtx, xty, yty = cross[:, :p, :p], cross[:, :p, p], cross[:, p, p]
    sol = np.linalg.solve(xtx, xty[:, :, None])[:, :, 0]
    rss = np.maximum(yty - np.einsum("mi,mi->m", xty, sol), 1e-300)
    _, logdet_x = np.linalg.slogdet(xtx)
    n = xy.shape[0]
    return (n - p) * np.log(rss) + np.log(one_m).sum(axis=1) + logdet_x


def estimate_phi(days: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """REML estimate of φ: a coarse grid on the atanh scale, then Brent's method around its best."""
    gaps = np.diff(days).astype(float)
    xy = np.column_stack([x, y])
    values = _criterion(_GRID, gaps, xy)
    best = int(np.argmin(values))
    lo = math.atanh(_GRID[max(best - 1, 0)]) if best > 0 else math.atanh(-PHI_LIMIT)
    hi = math.atanh(_GRID[min(best + 1, len(_GRID) - 1)]) if best < len(_GRID) - 1 else None
    hi = math.atanh(PHI_LIMIT) if hi is None else hi
    result = optimize.minimize_scalar(
        lambda a: float(_criterion(np.array([math.tanh(a)]), gaps, xy)[0]),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return math.tanh(float(result.x))


def fit_ar1(days: np.ndarray, x: np.ndarray, y: np.ndarray, contrast: int = 1) -> Ar1Fit:
    """Fit ``y ~ X`` with AR(1) errors in calendar days by REML.

    ``days``: strictly increasing integer day numbers (gaps allowed), ``x``: (n, p) full-rank design
    with an intercept, ``y``: (n,) outcome values. ``contrast`` is the column whose Kenward–Roger
    interval is computed. Callers check rank and variation first (see ``evaluate``).

    >>> d = np.arange(20); x = np.column_stack([np.ones(20), (d >= 10).astype(float)])
    >>> fit = fit_ar1(d, x, np.r_[np.linspace(5, 6, 10), np.linspace(4, 3, 10)] % 1.7)
    >>> round(fit.phi, 3) <= 1
    True
    """
    phi = estimate_phi(days, x, y)
    gaps = np.diff(days).astype(float)
    rho, one_m = _bands(np.array([phi]), gaps)
    z = _whiten(np.column_stack([x, y]), rho, one_m)[0]
    p = x.shape[1]
    m = z[:, :p].T @ z[:, :p]
    m_inv = np.linalg.inv(m)
    coef = m_inv @ (z[:, :p].T @ z[:, p])
    resid = z[:, p] - z[:, :p] @ coef
    sigma2 = float(resid @ resid) / (len(y) - p)
    se = np.sqrt(np.diag(m_inv) * sigma2)
    kr_var, kr_df = kenward_roger(phi, sigma2, gaps, x, contrast)
    return Ar1Fit(
        coef=tuple(float(c) for c in coef),
        se=tuple(float(s) for s in se),
        phi=phi,
        sigma=math.sqrt(sigma2),
        n=len(y),
        contrast=contrast,
        kr_se=math.sqrt(kr_var),
        kr_df=kr_df,
    )


def _precision_bands(phi: float, gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Diagonal and first off-diagonal of C(φ)⁻¹ (tridiagonal for AR(1) observed with gaps)."""
    rho = np.power(phi, gaps)
    a = rho * rho / (1.0 - rho * rho)
    diag = np.ones(len(gaps) + 1)
    diag[1:] += a
    diag[:-1] += a
    return diag, -rho / (1.0 - rho * rho)


def _band_derivatives(phi: float, gaps: np.ndarray, h: float) -> tuple[np.ndarray, ...]:
    """First and second φ-derivatives of the precision bands by central differences.

    The bands are smooth rational functions of φ, so differences with h ≈ 1e-4 are accurate to
    ~1e-8, far below what the small-sample correction needs.
    """
    (d_m, o_m), (d_0, o_0), (d_p, o_p) = (_precision_bands(phi + s, gaps) for s in (-h, 0.0, h))
    return (
        (d_p - d_m) / (2 * h),
        (o_p - o_m) / (2 * h),
        (d_p - 2 * d_0 + d_m) / (h * h),
        (o_p - 2 * o_0 + o_m) / (h * h),
    )


def _tri_quad(diag: np.ndarray, off: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a' T b for a symmetric tridiagonal T given by its bands; a, b are (n, k)."""
    tb = diag[:, None] * b
    tb[:-1] += off[:, None] * b[1:]
    tb[1:] += off[:, None] * b[:-1]
    return a.T @ tb


def _tri_mul(diag: np.ndarray, off: np.ndarray, b: np.ndarray) -> np.ndarray:
    tb = diag[:, None] * b
    tb[:-1] += off[:, None] * b[1:]
    tb[1:] += off[:, None] * b[:-1]
    return tb


def _kr_terms(phi: float, sigma2: float, gaps: np.ndarray, x: np.ndarray) -> tuple:
    """P, Q, R matrices of Kenward & Roger (1997) for θ = (σ², φ) and the REML information.

    With Σ = σ²C: P_σ = −M/σ⁴, P_φ = M₁/σ², Q_σσ = M/σ⁶, Q_σφ = R_σφ = −M₁/σ⁴,
    Q_φφ = U'CU/σ², R_φφ = (2U'CU − M₂)/σ², where M = X'C⁻¹X, Mₖ = X'(∂ᵏC⁻¹/∂φᵏ)X and
    U = (∂C⁻¹/∂φ)X. U'CU needs one banded solve; nothing here is n×n.
    """
    h = min(1e-4, (1.0 - abs(phi)) / 4.0)
    diag, off = _precision_bands(phi, gaps)
    d1, o1, d2, o2 = _band_derivatives(phi, gaps, h)
    m0, m1, m2 = (_tri_quad(d, o, x, x) for d, o in ((diag, off), (d1, o1), (d2, o2)))
    u = _tri_mul(d1, o1, x)
    banded = np.vstack([np.r_[0.0, off], diag])
    ucu = u.T @ linalg.solveh_banded(banded, u)
    s2 = sigma2
    p_mats = (-m0 / s2**2, m1 / s2)
    q_mats = ((m0 / s2**3, -m1 / s2**2), (-m1 / s2**2, ucu / s2))
    r_mats = ((np.zeros_like(m0), -m1 / s2**2), (-m1 / s2**2, (2 * ucu - m2) / s2))
    rho_prime = (np.power(phi + h, gaps) - np.power(phi - h, gaps)) / (2 * h)
    logdet = [np.log(1 - np.power(phi + s, 2 * gaps)).sum() for s in (h, -h)]
    t_mat = np.array(
        [
            [len(gaps) + 1, (logdet[0] - logdet[1]) / (2 * h) * s2],
            [(logdet[0] - logdet[1]) / (2 * h) * s2, -2.0 * float(o1 @ rho_prime) * s2**2],
        ]
    ) / np.array([[s2**2, s2**2], [s2**2, s2**2]])
    return p_mats, q_mats, r_mats, t_mat, s2 * np.linalg.inv(m0)


def kenward_roger(
    phi: float, sigma2: float, gaps: np.ndarray, x: np.ndarray, contrast: int
) -> tuple[float, float]:
    """Kenward–Roger variance (already divided by the scale λ) and df for one coefficient.

    Returns ``(variance, df)`` such that ``estimate ± t(df, .975) · √variance`` is the 95 %
    interval. Falls back to the plain variance with n − p df when the adjustment is degenerate
    (e.g. φ at its boundary), so the interval is never NaN.
    """
    p_mats, q_mats, r_mats, t_mat, phi_mat = _kr_terms(phi, sigma2, gaps, x)
    n, p = x.shape
    plain = (float(phi_mat[contrast, contrast]), float(n - p))
    info = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            info[i, j] = 0.5 * (
                t_mat[i, j]
                - 2.0 * np.trace(phi_mat @ q_mats[i][j])
                + np.trace(phi_mat @ p_mats[i] @ phi_mat @ p_mats[j])
            )
    try:
        w = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return plain
    inner = sum(
        w[i, j] * (q_mats[i][j] - p_mats[i] @ phi_mat @ p_mats[j] - 0.25 * r_mats[i][j])
        for i in range(2)
        for j in range(2)
    )
    var_a = float((phi_mat + 2.0 * phi_mat @ inner @ phi_mat)[contrast, contrast])
    if not math.isfinite(var_a) or var_a <= 0:
        return plain
    s = np.array([(phi_mat @ p_i @ phi_mat)[contrast, contrast] / var_a for p_i in p_mats])
    return _kr_scale(var_a, float(s @ w @ s), plain)


def _kr_scale(var_a: float, a: float, plain: tuple[float, float]) -> tuple[float, float]:
    """The F-approximation of Kenward & Roger for a single contrast (ℓ = 1, so A₁ = A₂ = a)."""
    b = 3.5 * a
    if not (0 <= a < 1 and 1 - 4 * b / 7 > 0):
        return plain
    e_star = 1.0 / (1.0 - a)
    v_star = 2.0 * (1 - b / 7) / ((1 - 2 * b / 7) ** 2 * (1 - 4 * b / 7))
    rho = v_star / (2.0 * e_star**2)
    if rho <= 1.0 + 1e-12:
        return var_a, plain[1]
    df = 4.0 + 3.0 / (rho - 1.0)
    lam = df / (e_star * (df - 2.0))
    return var_a / lam, df
