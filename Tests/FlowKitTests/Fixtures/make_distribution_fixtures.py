#!/usr/bin/env python3
"""Reference values for FlowKit's special functions and univariate distributions.

Writes, next to this script:
  special.json        special functions at 50 significant digits (mpmath), rounded to double;
  distributions.json  logpdf, cdf, sf at bulk and tail points and ppf at bulk and tail
                      probabilities for every catalog distribution and several parameter sets
                      (scipy.stats).

Run:  python3 make_distribution_fixtures.py   (scipy 1.17, mpmath 1.3)
Floats are written with repr, so every double round-trips exactly. Regenerate only on purpose.
"""
import json
import math
import os

import mpmath as mp
import scipy
import scipy.stats as st

mp.mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))


def f(v):
    v = float(v)
    if not math.isfinite(v):
        raise ValueError("non-finite value in fixture")
    return v


# ---------------------------------------------------------------- special functions
def normal_cdf(x):
    return mp.ncdf(mp.mpf(x))


def solve(lower, upper, p, guess):
    """The root of lower(x) = p, solved in log space (x = e^t) on the better-conditioned tail."""
    p = mp.mpf(p)
    if p < 0.5:
        g = lambda t: mp.log(lower(mp.exp(t))) - mp.log(p)
    else:
        g = lambda t: mp.log(upper(mp.exp(t))) - mp.log(1 - p)
    t0 = mp.log(guess)
    return mp.exp(mp.findroot(g, (t0 - mp.mpf("1e-6"), t0 + mp.mpf("1e-6")), solver="anderson"))


def log_normal_cdf(x):
    x = mp.mpf(x)
    return mp.log1p(-mp.ncdf(-x)) if x > 0 else mp.log(mp.ncdf(x))


def special_fixture():
    out = {}
    xs = [-38.0, -37.0, -30.0, -20.0, -10.0, -5.0, -2.0, -1.0, -0.5, -1e-3, 0.0, 0.3, 1.0, 2.0, 5.0, 8.0]
    out["normalCDF"] = [{"x": x, "value": f(normal_cdf(x))} for x in xs]
    out["normalSurvival"] = [{"x": x, "value": f(normal_cdf(-x))} for x in [-3.0, 0.0, 1.0, 5.0, 10.0, 20.0, 37.0]]
    lx = [-1e5, -1e3, -100.0, -40.0, -30.5, -30.0, -29.5, -20.0, -5.0, -1.0, 0.0, 1.0, 5.0, 10.0, 30.0]
    out["logNormalCDF"] = [{"x": x, "value": f(log_normal_cdf(x))} for x in lx]
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.01, 0.07, 0.1, 0.3, 0.5, 0.6, 0.7, 0.925, 0.975, 1 - 1e-10]
    with mp.workdps(700):  # 2p − 1 must keep p = 1e-300 distinct from −1
        out["normalQuantile"] = [{"p": p, "value": f(mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1))} for p in ps]
    out["logGamma"] = [{"x": x, "value": f(mp.loggamma(x))} for x in [1e-8, 0.1, 0.5, 1.5, 2.5, 7.0, 19.5, 20.5, 100.0, 1e4, 1e8]]
    betas = [(0.5, 0.5), (2.0, 3.0), (0.2, 50.0), (3.0, 1e4), (25.0, 40.0), (1e3, 2e3)]
    out["logBeta"] = [{"a": a, "b": b, "value": f(mp.log(mp.beta(a, b)))} for a, b in betas]
    gam = []
    for a in [0.1, 0.5, 1.0, 2.5, 10.0, 30.0, 100.0, 1000.0]:
        for r in [0.01, 0.5, 0.9, 1.0, 1.1, 2.0, 5.0]:
            x = a * r
            p = mp.gammainc(a, 0, x, regularized=True)
            q = mp.gammainc(a, x, mp.inf, regularized=True)
            gam.append({"a": a, "x": x, "p": f(p), "q": f(q)})
    out["regularizedGamma"] = gam
    ginv = []
    for a in [0.1, 0.5, 1.0, 2.5, 10.0, 100.0]:
        for p in [1e-10, 0.01, 0.3, 0.5, 0.9, 0.999]:
            lower = lambda x: mp.gammainc(a, 0, x, regularized=True)
            upper = lambda x: mp.gammainc(a, x, mp.inf, regularized=True)
            ginv.append({"a": a, "p": p, "x": f(solve(lower, upper, p, scipy.special.gammaincinv(a, p)))})
    out["inverseRegularizedGammaP"] = ginv
    bet = []
    for a, b in [(0.5, 0.5), (1.0, 1.0), (2.0, 3.0), (0.2, 5.0), (10.0, 40.0), (100.0, 50.0)]:
        for x in [1e-6, 0.01, 0.2, 0.5, 0.8, 0.99]:
            v = mp.betainc(a, b, 0, x, regularized=True)
            w = mp.betainc(b, a, 0, 1 - mp.mpf(x), regularized=True)  # 1 − I_x(a, b) = I_{1−x}(b, a)
            bet.append({"a": a, "b": b, "x": x, "lower": f(v), "upper": f(w)})
    out["regularizedBeta"] = bet
    binv = []
    for a, b in [(0.5, 0.5), (2.0, 3.0), (0.2, 5.0), (10.0, 40.0), (100.0, 50.0)]:
        for p in [1e-10, 0.01, 0.3, 0.5, 0.9, 0.999]:
            lower = lambda x: mp.betainc(a, b, 0, x, regularized=True)
            upper = lambda x: mp.betainc(a, b, x, 1, regularized=True)
            guess = scipy.special.betaincinv(a, b, p)
            if p < 0.5:
                x = solve(lower, upper, p, guess)
            else:  # solve for y = 1 − x so the upper tail keeps its precision
                x = 1 - solve(lambda y: upper(1 - y), lambda y: lower(1 - y), 1 - p, 1 - guess)
            binv.append({"a": a, "b": b, "p": p, "x": f(x)})
    out["inverseRegularizedBeta"] = binv
    return out


# ---------------------------------------------------------------- distributions
# name -> list of (parameters as in the spec, frozen scipy distribution, far tail x points)
def cases():
    c = {}
    c["normal"] = [({"mean": m, "std": s}, st.norm(m, s), [m - 1e3 * s, m - 40 * s, m + 40 * s, m + 1e3 * s])
                   for m, s in [(0.0, 1.0), (2.5, 0.3), (-1e3, 50.0)]]
    c["lognormal"] = [({"mu": mu, "sigma": s}, st.lognorm(s=s, scale=math.exp(mu)),
                       [math.exp(mu - 30 * s), math.exp(mu + 30 * s)])
                      for mu, s in [(0.0, 1.0), (1.5, 0.25), (-2.0, 2.0)]]
    c["uniform"] = [({"low": lo, "high": hi}, st.uniform(lo, hi - lo), [])
                    for lo, hi in [(0.0, 1.0), (-3.0, 5.5)]]
    c["exponential"] = [({"rate": r}, st.expon(scale=1 / r), [500 / r, 5e4 / r]) for r in [1.0, 0.1, 7.5]]
    c["laplace"] = [({"loc": m, "scale": s}, st.laplace(m, s), [m - 700 * s, m + 700 * s])
                    for m, s in [(0.0, 1.0), (3.0, 0.5)]]
    c["logistic"] = [({"loc": m, "scale": s}, st.logistic(m, s), [m - 700 * s, m - 40 * s, m + 40 * s, m + 700 * s])
                     for m, s in [(0.0, 1.0), (-2.0, 3.0)]]
    c["cauchy"] = [({"loc": m, "scale": s}, st.cauchy(m, s), [m - 1e6 * s, m + 1e8 * s])
                   for m, s in [(0.0, 1.0), (1.0, 0.2)]]
    c["gumbel"] = [({"loc": m, "scale": s}, st.gumbel_r(m, s), [m - 5 * s, m + 40 * s, m + 600 * s])
                   for m, s in [(0.0, 1.0), (2.0, 4.0)]]
    c["student_t"] = [({"df": d, "loc": m, "scale": s}, st.t(d, m, s), [m - 1e4 * s, m + 1e6 * s])
                      for d, m, s in [(1.0, 0.0, 1.0), (3.0, 0.0, 1.0), (2.5, 1.0, 2.0), (30.0, 0.0, 1.0)]]
    c["gamma"] = [({"shape": k, "rate": r}, st.gamma(k, scale=1 / r), [1e-8 / r, 200 * max(k, 1) / r])
                  for k, r in [(1.0, 1.0), (0.5, 2.0), (2.5, 1.0), (40.0, 0.5)]]
    c["beta"] = [({"a": a, "b": b}, st.beta(a, b), [1e-9, 1 - 1e-9])
                 for a, b in [(0.5, 0.5), (2.0, 3.0), (0.3, 4.0), (20.0, 30.0)]]
    c["pareto"] = [({"alpha": a, "xm": xm}, st.pareto(a, scale=xm), [xm * 1e6, xm * 1e12])
                   for a, xm in [(1.0, 1.0), (3.0, 2.5)]]
    return c


BULK_P = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]
TAIL_P = [1e-15, 1e-8, 1 - 1e-8]


def distribution_fixture():
    out = {}
    for name, sets in cases().items():
        entries = []
        for params, d, far in sets:
            points = []
            for p in BULK_P:
                x = f(d.ppf(p))
                points.append({"x": x, "region": "bulk", "logpdf": f(d.logpdf(x)), "cdf": f(d.cdf(x)), "sf": f(d.sf(x))})
            for x in far:
                points.append({"x": f(x), "region": "tail", "logpdf": f(d.logpdf(x)), "cdf": f(d.cdf(x)), "sf": f(d.sf(x))})
            quantiles = [{"p": p, "region": "bulk", "x": f(d.ppf(p))} for p in BULK_P]
            quantiles += [{"p": p, "region": "tail", "x": f(d.ppf(p))} for p in TAIL_P]
            mean, var = d.stats(moments="mv")
            entries.append({
                "parameters": params,
                "mean": f(mean) if math.isfinite(mean) else None,
                "variance": f(var) if math.isfinite(var) else None,
                "points": points,
                "quantiles": quantiles,
            })
        out[name] = entries
    return out


def main():
    meta = {"generator": "make_distribution_fixtures.py", "scipy": scipy.__version__, "mpmath": mp.__version__}
    with open(os.path.join(HERE, "special.json"), "w") as fh:
        json.dump({"meta": meta, **special_fixture()}, fh, indent=1)
    with open(os.path.join(HERE, "distributions.json"), "w") as fh:
        json.dump({"meta": meta, "distributions": distribution_fixture()}, fh, indent=1)


if __name__ == "__main__":
    main()
