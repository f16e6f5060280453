"""Column generation against brute force: on small random networks, enumerate every simple path and solve the LP."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy.optimize import linprog

from spis.corridors import load_scenario_text, solve

from .conftest import build_yaml


def _all_paths(links, origin, dest, max_days):
    out = {}
    for lid, a, *_ in links:
        out.setdefault(a, []).append(lid)
    by_id = {lk[0]: lk for lk in links}
    paths = []

    def walk(node, seen, path, days):
        if node == dest:
            paths.append(tuple(path))
            return
        for lid in out.get(node, []):
            _, _, b, _, d, _ = by_id[lid]
            if b not in seen and (max_days is None or days + d <= max_days + 1e-9):
                walk(b, seen | {b}, [*path, lid], days + d)

    walk(origin, {origin}, [], 0.0)
    return paths


def _brute_force(links, flows, penalty):
    by_id = {lk[0]: lk for lk in links}
    cols, costs, rows_eq = [], [], []
    for fi, f in enumerate(flows):
        for p in _all_paths(links, f[1], f[2], f[4] if len(f) == 5 else None):
            cols.append(p)
            costs.append(sum(by_id[lid][3] for lid in p))
            rows_eq.append(fi)
    n, nf = len(cols), len(flows)
    a_eq = np.zeros((nf, n + nf))
    for j, fi in enumerate(rows_eq):
        a_eq[fi, j] = 1
    a_eq[:, n:] = np.eye(nf)
    capped = [lk for lk in links if lk[5] is not None]
    a_ub = np.zeros((len(capped), n + nf))
    for i, lk in enumerate(capped):
        for j, p in enumerate(cols):
            a_ub[i, j] = lk[0] in p
    res = linprog(
        [*costs, *([penalty] * nf)],
        A_ub=a_ub if capped else None,
        b_ub=[lk[5] for lk in capped] if capped else None,
        A_eq=a_eq,
        b_eq=[f[3] for f in flows],
        bounds=(0, None),
        method="highs",
    )
    return res.fun


@pytest.mark.parametrize("seed", range(20))
def test_column_generation_matches_full_path_enumeration(seed):
    rng = random.Random(seed)
    nodes = [f"N{i}" for i in range(7)]
    links, seen = [], set()
    while len(links) < 16:
        a, b = rng.sample(nodes, 2)
        if (a, b) in seen:
            continue
        seen.add((a, b))
        cap = rng.choice([None, 20, 50])
        links.append((f"L{len(links)}", a, b, rng.randint(10, 100), rng.randint(1, 5), cap))
    flows = []
    while len(flows) < 4:
        o, d = rng.sample(nodes, 2)
        if not _all_paths(links, o, d, None):
            continue  # the loader rightly refuses unreachable destinations
        flow = (f"F{len(flows)}", o, d, rng.randint(10, 60))
        flows.append((*flow, rng.randint(3, 9)) if rng.random() < 0.5 else flow)
    net = load_scenario_text(build_yaml(nodes, links, flows, penalty=1000))
    assert solve(net, "baseline").objective == pytest.approx(
        _brute_force(links, flows, 1000), rel=1e-9, abs=1e-6
    )
