"""Reference values for the Kolmogorov-Smirnov tests (Tests/FlowKitTests/KolmogorovSmirnovTests.swift).

Run from this folder: python3 make_ks_fixtures.py  (writes ks_fixtures.json).
Made with scipy 1.17.1 / numpy; the values are scipy.stats.kstwo.sf(d, n) (what kstest's
'exact' mode returns), scipy's Durbin-matrix values, scipy.special.kolmogorov(lambda) (the asymptotic tail) and full
scipy.stats.kstest(x, 'norm', method='exact') results on fixed samples.
"""
import json
import numpy as np
import scipy
from scipy import stats, special
from scipy.stats._ksstats import _kolmogn_DMTW

p_cases = []
for n in [1, 2, 3, 5, 10, 50, 100, 140, 141, 500, 1000, 5000, 10000, 20000, 100000, 1000000]:
    ds = [0.6 / n, 0.9 / n, 1.0 / n]
    ds += [c / np.sqrt(n) for c in (0.3, 0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0)]
    ds += [0.55, 0.7, 1.0 - 0.5 / n]
    for d in ds:
        if 0 < d < 1:
            case = {"n": n, "d": float(d), "sf": float(stats.kstwo.sf(d, n))}
            # scipy's own Durbin-matrix (Marsaglia-Tsang-Wang) value, where it is cheap:
            # kstwo.sf switches to the Pelz-Good asymptotic for n > 140 and n d^1.5 > 1.4.
            if n <= 10000 and 1 < n * d and n * d * d < 4:
                case["durbin_sf"] = float(1.0 - _kolmogn_DMTW(n, d, cdf=True))
            p_cases.append(case)

tail_cases = [{"lambda": lam, "q": float(special.kolmogorov(lam))}
              for lam in (0.2, 0.4, 0.6, 0.8, 0.95, 1.0, 1.05, 1.3, 1.8, 2.5, 4.0)]

smirnov_cases = []
for n in [5, 50, 1000, 100000]:
    for c in (0.5, 1.0, 1.5, 2.5):
        d = min(c / np.sqrt(n), 0.99)
        smirnov_cases.append({"n": n, "d": float(d), "sf": float(special.smirnov(n, d))})

rng = np.random.default_rng(20260423)
samples = []
for n, shift in [(20, 0.0), (300, 0.1), (2000, 0.0), (2000, 0.05)]:
    x = np.sort(rng.standard_normal(n) + shift)
    r = stats.kstest(x, "norm", method="exact")
    samples.append({"shift": shift, "x": [float(v) for v in x],
                    "statistic": float(r.statistic), "pvalue": float(r.pvalue)})

with open("ks_fixtures.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "pvalues": p_cases, "kolmogorov": tail_cases,
               "smirnov": smirnov_cases, "samples": samples}, f, indent=1)
