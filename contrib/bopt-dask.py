#!/usr/bin/python3
"""bopt on a Dask cluster: one `bopt analyze -f summary` per trace file on
the workers, a tree of `bopt merge -f summary` over the summaries, and the
final `bopt merge` here, whose output is printed. Dask does the fan-out;
bopt does the arithmetic. See bopt(1), EXAMPLES.

The trace files and DIR must be at the same paths on every worker (a shared
file system), and bopt on every worker's PATH (or --bopt).

usage: bopt-dask.py (--scheduler ADDRESS | --local N) [--bopt PATH]
                    [--fan-in K] [-f FMT] DIR TRACE...
"""

import argparse
import os
import subprocess
import sys


def run(argv):
    """Runs one bopt command on a worker; its error, if any, becomes ours."""
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode(errors="replace").strip())
    return p.stdout


def analyze(bopt, trace, out):
    run([bopt, "analyze", "-f", "summary", "--no-progress", "-o", out, trace])
    return out


def merge(bopt, parts, out):
    run([bopt, "merge", "-f", "summary", "-o", out] + parts)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--local", type=int, metavar="N",
                       help="start a LocalCluster of N workers instead")
    ap.add_argument("--bopt", default="bopt", help="the bopt executable")
    ap.add_argument("--fan-in", type=int, default=8, metavar="K",
                    help="summaries per merge in the tree (default 8)")
    ap.add_argument("-f", "--format", default="table",
                    help="of the final merge: table, json or summary")
    ap.add_argument("dir", help="where the summaries go (shared)")
    ap.add_argument("traces", nargs="+")
    a = ap.parse_args()
    if a.fan_in < 2:
        ap.error("--fan-in must be at least 2")

    from dask.distributed import Client, LocalCluster

    cluster = None
    if a.local:
        cluster = LocalCluster(n_workers=a.local, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(a.scheduler)
    try:
        os.makedirs(a.dir, exist_ok=True)
        level = [client.submit(analyze, a.bopt, t,
                               os.path.join(a.dir, "%06d.sum" % i), pure=False)
                 for i, t in enumerate(a.traces)]
        depth = 0
        while len(level) > a.fan_in:
            depth += 1
            level = [client.submit(merge, a.bopt, level[i:i + a.fan_in],
                                   os.path.join(a.dir, "m%d-%06d.sum" % (depth, i)),
                                   pure=False)
                     for i in range(0, len(level), a.fan_in)]
        parts = client.gather(level)
    except RuntimeError as e:
        print("bopt-dask: %s" % e, file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    sys.stdout.flush()
    return subprocess.call([a.bopt, "merge", "-f", a.format] + parts)


if __name__ == "__main__":
    sys.exit(main())
