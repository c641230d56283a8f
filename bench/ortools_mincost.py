#!/usr/bin/env python3
"""Solve a DIMACS min-cost flow instance with OR-Tools' SimpleMinCostFlow and print the
optimum and the solve time, to check chanxiao's allocator against an independent solver.

    pip install ortools
    swift run -c release chanxiao-bench matching --tier province --export-dimacs /tmp/province.dimacs
    python3 bench/ortools_mincost.py /tmp/province.dimacs

The instance's comments carry chanxiao's optimum ("c optimum N"); the script compares.
"""
import sys
import time

from ortools.graph.python import min_cost_flow


def main(path):
    started = time.perf_counter()
    solver = min_cost_flow.SimpleMinCostFlow()
    expected = None
    tails, heads, capacities, costs = [], [], [], []
    supplies = {}
    with open(path) as handle:
        for line in handle:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "c" and len(fields) == 3 and fields[1] == "optimum":
                expected = int(fields[2])
            elif fields[0] == "n":
                supplies[int(fields[1]) - 1] = int(fields[2])
            elif fields[0] == "a":
                tails.append(int(fields[1]) - 1)
                heads.append(int(fields[2]) - 1)
                capacities.append(int(fields[4]))
                costs.append(int(fields[5]))
    import numpy as np
    solver.add_arcs_with_capacity_and_unit_cost(np.array(tails), np.array(heads), np.array(capacities), np.array(costs))
    for node, supply in supplies.items():
        solver.set_node_supply(node, supply)
    loaded = time.perf_counter()
    status = solver.solve()
    solved = time.perf_counter()
    if status != solver.OPTIMAL:
        print(f"OR-Tools status {status}: not optimal")
        return 1
    optimum = solver.optimal_cost()
    print(f"arcs {len(tails)}, read {loaded - started:.3f} s, OR-Tools solve {solved - loaded:.3f} s, optimum {optimum}")
    if expected is not None:
        print(f"chanxiao optimum {expected}: {'equal' if expected == optimum else 'DIFFERENT'}")
        return 0 if expected == optimum else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
