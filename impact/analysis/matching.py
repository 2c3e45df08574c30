"""Similar schools: the nearest neighbours of each joining school among schools that did not
join, on prior attainment, disadvantage, size and phase.

Why match at all when difference-in-differences already removes fixed differences: schools
that start in a different place often travel differently too (a low-attaining school has more
room to rise), so comparing like with like makes the parallel-trends assumption more
plausible. The features are those evaluators use and the store holds:

- prior attainment: the school's mean on the measure being estimated over the years before the
  cohort's first joining year (the same window for every school, so no school is matched on
  results the partnership may have changed);
- disadvantage: its share of disadvantaged pupils (from the cohort sizes it reported);
- size: pupils on roll;
- phase: must match exactly where both schools have one.

Each numeric feature is scaled by its standard deviation across the schools considered, and the
distance is the root mean square difference over the joining school's features (a candidate
lacking one counts as one standard deviation away on it). Each joining
school takes its `k` nearest; the comparison group is the union of them (a school matched to
several joining schools counts once, with its own weight).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FEATURES = ("prior_attainment", "disadvantaged_share", "pupils")
# A candidate missing a feature counts as one standard deviation away on it: a school we know
# less about must not look closer than one we know matches.
MISSING_PENALTY = 1.0


def nearest_neighbours(features: pd.DataFrame, treated: Sequence[int], pool: Sequence[int],
                       k: int = 5) -> pd.DataFrame:
    """For each treated school, its `k` nearest schools in `pool`.

    `features` is indexed by URN with columns `prior_attainment`, `disadvantaged_share`,
    `pupils` (any may be missing) and `phase`. Returns rows (urn, match, distance, rank).
    """
    feats = features.reindex(list(dict.fromkeys([*treated, *pool])))
    numeric = feats.reindex(columns=list(FEATURES)).astype(float)
    scale = numeric.std(ddof=0).replace(0, np.nan)
    z = (numeric - numeric.mean()) / scale
    phase = feats["phase"] if "phase" in feats else pd.Series(None, index=feats.index)
    pool = [p for p in pool if p not in set(treated)]
    pool_z = z.loc[pool].to_numpy(dtype=float)
    pool_phase = phase.loc[pool].to_numpy(dtype=object)
    # Worked out once, not per joining school: at national scale the pool is 20,000 schools.
    phase_known = np.array([isinstance(p, str) for p in pool_phase], dtype=bool)
    pool_phase = np.where(phase_known, pool_phase, "")
    rows = []
    for urn in treated:
        here = z.loc[urn].to_numpy(dtype=float)
        diff = pool_z - here
        known = np.isfinite(diff)
        usable = np.isfinite(here)  # a feature the joining school itself lacks is ignored
        squares = np.where(known, diff ** 2, MISSING_PENALTY)[:, usable]
        distance = (np.sqrt(squares.mean(axis=1)) if usable.any()
                    else np.full(len(pool), np.inf))
        distance = np.where(known[:, usable].any(axis=1), distance, np.inf)
        own = phase.loc[urn]
        if isinstance(own, str) and own:
            other = phase_known & (pool_phase != own)
            distance = np.where(other, np.inf, distance)
        order = _first_k(distance, k)
        nearest = [j for j in order if np.isfinite(distance[j])]
        for rank, j in enumerate(nearest, start=1):
            rows.append({"urn": urn, "match": pool[j], "distance": float(distance[j]),
                         "rank": rank})
    return pd.DataFrame(rows, columns=["urn", "match", "distance", "rank"])


def _first_k(distance: np.ndarray, k: int) -> np.ndarray:
    """The first `k` of `np.argsort(distance, kind="stable")`, without sorting the whole pool
    (ties at the boundary are kept, so the order is exactly the stable sort's)."""
    if len(distance) <= k:
        return np.argsort(distance, kind="stable")
    kth = np.partition(distance, k - 1)[k - 1]
    candidates = np.flatnonzero(distance <= kth)
    return candidates[np.argsort(distance[candidates], kind="stable")][:k]
