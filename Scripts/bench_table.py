#!/usr/bin/env python3
"""The table of issue 13: whole processes, medians, flowreport against the numpy reference.

Usage: bench_table.py FLOWREPORT REFERENCE_SCRIPT [--repetitions R] [--large N]
Runs `FLOWREPORT run reports/lognormal.yaml --samples N --quiet --out TMP` at 10^4, 10^7 and
10^9 samples (N = --large for the last row, default 10^9) and `python REFERENCE_SCRIPT N TMP` (numpy +
scipy + matplotlib, 2 figures, no PDF report or HTML) at 10^4 and 10^7 (at 10^9 it would need
~65 GiB), each R times (default 3; the 10^9 row twice); prints the median wall time of whole
processes and the peak resident set size of each process (ru_maxrss from wait4, the largest over
its runs), the ratio and the issue's target. Run it with the Python that has numpy, scipy and
matplotlib (make bench installs them with pip); it uses the wall clock, so a busy machine
shows up in these numbers: the load average is printed with them.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time


def run(argv):
    """Wall seconds and peak RSS (bytes) of one whole process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench_table: {' '.join(argv)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_maxrss * 1024


def measure(make_argv, repetitions):
    walls, peak = [], 0
    for _ in range(repetitions):
        out = tempfile.mkdtemp(prefix="flowbench-")
        try:
            wall, rss = run(make_argv(out))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        walls.append(wall)
        peak = max(peak, rss)
    return statistics.median(walls), peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("flowreport")
    parser.add_argument("reference")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--large", type=int, default=10**9)
    args = parser.parse_args()
    spec = "reports/lognormal.yaml"
    load = open("/proc/loadavg").read().split()[:3]
    print(f"issue 13 table: whole processes, median of {args.repetitions} (10^9: of 2), "
          f"{os.cpu_count()} cores, load average {' '.join(load)} before")
    header = f"{'samples':>10}  {'flowreport':>22}  {'numpy reference':>22}  {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    rows = [(10**4, "≥ 30×", 30), (10**7, "≥ 20×", 20), (args.large, "≤ 10 s, ≤ 64 MiB", None)]
    verdicts = []
    for n, target, ratio_target in rows:
        reps = args.repetitions if n < 10**8 else 2
        ours, our_peak = measure(lambda out: [args.flowreport, "run", spec, "--samples", str(n), "--quiet",
                                              "--out", out], reps)
        label = f"10^{len(str(n)) - 1}" if str(n).strip("0") == "1" else str(n)
        ours_text = f"{ours:.2f} s, {our_peak / 2**20:.0f} MiB"
        if ratio_target is not None:
            theirs, their_peak = measure(lambda out: [sys.executable, args.reference, str(n), out], reps)
            ratio = theirs / ours
            theirs_text = f"{theirs:.2f} s, {their_peak / 2**20:.0f} MiB"
            ratio_text = f"{ratio:.1f}×"
            verdicts.append(("PASS" if ratio >= ratio_target else "FAIL", f"{label}: {ratio:.1f}× numpy, target {target}"))
        else:
            theirs_text, ratio_text = "(needs ~65 GiB)", "—"
            ok = ours <= 10 and our_peak <= 64 * 2**20
            verdicts.append(("PASS" if ok else "FAIL", f"{label}: {ours:.1f} s, {our_peak / 2**20:.0f} MiB, target {target}"))
        print(f"{label:>10}  {ours_text:>22}  {theirs_text:>22}  {ratio_text:>7}  {target}", flush=True)
    print()
    for state, text in verdicts:
        print(f"{state}  {text}")
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")


if __name__ == "__main__":
    main()
