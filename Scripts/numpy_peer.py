#!/usr/bin/env python3
"""numpy's time per element for the work flowbench compares with, measured now on this machine.

Usage: numpy_peer.py [N]   (default N = 10**7)
Prints one line `normal=NS exp=NS histogram=NS version=V`: ns per element of
`default_rng().standard_normal(N)`, `np.exp` on N doubles, and `np.histogram` with 100 bins on a
given range, each the best of 5 runs after a warm-up, on the thread's CPU-time clock (these
numpy calls run on one thread), as flowbench times its own kernels: on a machine shared with
other work the wall clock measures the queue. flowbench runs this script so that its numpy column is measured in
the same run, never typed in.
"""
import sys, time
import numpy as np

n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**7
rng = np.random.default_rng(1)
x = rng.standard_normal(n)


def best(f, repetitions=5):
    f()
    times = []
    for _ in range(repetitions):
        t0 = time.thread_time()
        f()
        times.append(time.thread_time() - t0)
    return min(times) * 1e9 / n


normal = best(lambda: rng.standard_normal(n))
exp = best(lambda: np.exp(x))
histogram = best(lambda: np.histogram(x, bins=100, range=(-4, 4)))
print(f"normal={normal:.3f} exp={exp:.3f} histogram={histogram:.3f} version={np.__version__}")
