"""Balanced nearest assignment of households to members (C13), as a min-cost flow (OR-Tools).

Pure computation: arrays in, arrays out, no database. chibo.households.services builds a `Problem` from a
cell's households and members and records the `Plan` it gets back.

The network: every household supplies one unit; it flows along an arc household → member whose cost is the
distance between them (metres; by address where coordinates are missing); each member must take at least
`lower` and at most `upper` households (the member node demands `lower`, and an arc member → sink of capacity
`upper - lower` carries the rest). Minimum total cost with these bounds is exactly the balanced nearest
assignment, solved exactly by the solver, not approximated by a greedy pass.

At 20,000 households × 1,000 members the full graph has 20 million arcs; the planner builds a sparse one
instead: the `k` nearest members of each household, plus a hub every household may reach at a prohibitive
cost, so the sparse graph is always feasible when the bounds are. A member fed through the hub gets all its
arcs and the flow is solved again. Then the result is *proved* against the full graph: potentials read off
the residual graph (Bellman-Ford) give every omitted arc its reduced cost; an arc with a negative one joins
the graph and the flow is solved again, until none is left. No negative reduced cost on any arc of the full
graph is the linear-programming certificate that the flow is optimal for the full problem.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

# Metres per degree of latitude; a degree of longitude is this times cos(latitude) (a ward is small enough
# for the flat approximation: the error over 5 km is below a metre).
METRES_PER_DEGREE = 111_320.0

# Without coordinates the address stands in for the distance: same street and hamlet, same hamlet, elsewhere
# in the cell's area. In metres, so that pairs with and without coordinates compare in one plan.
SAME_STREET_M = 150
SAME_HAMLET_M = 600
ELSEWHERE_M = 2_500

CHUNK = 2_000  # households per block of the cost matrix (2,000 × 1,000 int64 = 16 MB)


class Infeasible(Exception):  # noqa: N818 - a result, not a programming error
    """The load bounds cannot all hold: `bound` ("lower" or "upper") must be relaxed to `needed` or beyond."""

    def __init__(self, bound: str, total: int, households: int, needed: int, member: int | None = None):
        self.bound, self.total, self.households, self.needed, self.member = bound, total, households, needed, member
        super().__init__(f"{bound} bounds total {total} for {households} households; relax to {needed}")


@dataclass(frozen=True)
class Problem:
    household_xy: np.ndarray  # (n, 2) metres east and north of a local origin; NaN where unknown
    member_xy: np.ndarray  # (m, 2)
    lower: np.ndarray  # (m,) least households each member takes
    upper: np.ndarray  # (m,) most
    household_hamlet: np.ndarray  # (n,) small integers naming the hamlet; -1 unknown
    member_hamlet: np.ndarray  # (m,)
    household_street: np.ndarray  # (n,) small integers naming the street; -1 unknown
    member_street: np.ndarray  # (m,)
    # Keeping hamlets together: a household assigned to a member of another hamlet costs this many percent
    # more than its distance, so the solver crosses hamlet lines only where that saves more than it costs.
    apart_pct: int = 0

    @property
    def n(self) -> int:
        return len(self.household_xy)

    @property
    def m(self) -> int:
        return len(self.member_xy)

    def costs(self, rows: np.ndarray | slice, *, apart_pct: int | None = None) -> np.ndarray:
        """The cost of each household of `rows` with each member: int64 (len(rows), m)."""
        return _cost_formula(
            self.household_xy[rows][:, None, :],
            self.member_xy[None, :, :],
            self.household_hamlet[rows][:, None],
            self.member_hamlet[None, :],
            self.household_street[rows][:, None],
            self.member_street[None, :],
            self.apart_pct if apart_pct is None else apart_pct,
        )

    def pair_costs(self, tails: np.ndarray, heads: np.ndarray, *, apart_pct: int | None = None) -> np.ndarray:
        """The costs of the pairs (tails[i], heads[i]): int64 (len(tails),)."""
        return _cost_formula(
            self.household_xy[tails],
            self.member_xy[heads],
            self.household_hamlet[tails],
            self.member_hamlet[heads],
            self.household_street[tails],
            self.member_street[heads],
            self.apart_pct if apart_pct is None else apart_pct,
        )

    def approx(self, rows: np.ndarray, *, apart_pct: int | None = None) -> np.ndarray:
        """Costs as floats, by a matrix product when every coordinate is known (fast, within a millimetre);
        for ranking candidates, never for the flow itself."""
        apart = self.apart_pct if apart_pct is None else apart_pct
        h = self.household_xy[rows]
        if np.isnan(h).any() or np.isnan(self.member_xy).any():
            return self.costs(rows, apart_pct=apart).astype(float)
        d2 = (h * h).sum(axis=1)[:, None] + (self.member_xy**2).sum(axis=1)[None, :] - 2.0 * (h @ self.member_xy.T)
        d = np.sqrt(np.maximum(d2, 0.0))
        if apart:
            hh = self.household_hamlet[rows][:, None]
            apart_pair = (hh != self.member_hamlet[None, :]) & (hh >= 0) & (self.member_hamlet[None, :] >= 0)
            d = np.where(apart_pair, d * (1 + apart / 100), d)
        return d

    def cost_of(self, assignment: np.ndarray, *, apart_pct: int | None = None) -> int:
        """Total cost of an assignment (member index per household)."""
        return int(self.pair_costs(np.arange(self.n), assignment, apart_pct=apart_pct).sum())

    def by_address_count(self) -> int:
        """Households planned by address: they or every member lack coordinates."""
        no_member_xy = np.isnan(self.member_xy).any(axis=1).all() if self.m else True
        if no_member_xy:
            return self.n
        return int(np.isnan(self.household_xy).any(axis=1).sum())


def _cost_formula(
    hxy: np.ndarray,
    mxy: np.ndarray,
    h_hamlet: np.ndarray,
    m_hamlet: np.ndarray,
    h_street: np.ndarray,
    m_street: np.ndarray,
    apart_pct: int,
) -> np.ndarray:
    """Metres between household and member (by address where either lacks coordinates), plus the hamlet
    term; arguments broadcast, so one formula serves whole blocks and lists of pairs."""
    d = np.hypot(hxy[..., 0] - mxy[..., 0], hxy[..., 1] - mxy[..., 1])
    missing = np.isnan(d)
    same_hamlet = (h_hamlet == m_hamlet) & (h_hamlet >= 0)
    if missing.any():
        same_street = same_hamlet & (h_street == m_street) & (h_street >= 0)
        by_address = np.where(same_street, SAME_STREET_M, np.where(same_hamlet, SAME_HAMLET_M, ELSEWHERE_M))
        d = np.where(missing, by_address, d)
    cost = np.rint(d).astype(np.int64)
    if apart_pct:
        apart = ~same_hamlet & (h_hamlet >= 0) & (m_hamlet >= 0)
        cost = np.where(apart, cost + cost * apart_pct // 100, cost)
    return cost


def check_bounds(problem: Problem) -> None:
    """Raise Infeasible naming the bound to relax: the totals must straddle the number of households."""
    n, lower, upper = problem.n, problem.lower, problem.upper
    bad = np.flatnonzero(lower > upper)
    if len(bad):
        j = int(bad[0])
        raise Infeasible("lower", int(lower[j]), n, int(upper[j]), member=j)
    if int(lower.sum()) > n:
        raise Infeasible("lower", int(lower.sum()), n, n // max(1, int((lower > 0).sum())))
    if int(upper.sum()) < n:
        takers = max(1, int((upper > 0).sum()))
        raise Infeasible("upper", int(upper.sum()), n, math.ceil(n / takers))


@dataclass
class Plan:
    assignment: np.ndarray  # (n,) member index per household
    cost: int  # with the hamlet term
    distance: int  # metres, without it
    arcs: int  # household → member arcs in the final graph
    rounds: int  # flows solved
    proved: bool  # no arc of the full graph has a negative reduced cost
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def _rank_block(problem: Problem, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Something that orders members as the costs do (squared distances when every coordinate is known)."""
    member_xy = problem.member_xy if cols is None else problem.member_xy[cols]
    h = problem.household_xy[rows]
    if np.isnan(h).any() or np.isnan(member_xy).any():
        block = problem.costs(rows).astype(float)
        return block if cols is None else block[:, cols]
    d2 = (h * h).sum(axis=1)[:, None] + (member_xy**2).sum(axis=1)[None, :] - 2.0 * (h @ member_xy.T)
    if problem.apart_pct:
        mh = problem.member_hamlet if cols is None else problem.member_hamlet[cols]
        hh = problem.household_hamlet[rows][:, None]
        apart_pair = (hh != mh[None, :]) & (hh >= 0) & (mh[None, :] >= 0)
        d2 = np.where(apart_pair, d2 * (1 + problem.apart_pct / 100) ** 2, d2)
    return d2


def nearest(problem: Problem, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate arcs: the k cheapest members of each household; and, for a member that few households
    have among their k (one living at the edge of the area), its cheapest households up to its upper bound,
    so that it can still reach its lower bound without the hub."""
    n, m = problem.n, problem.m
    k = min(k, m)
    tails, heads = [], []
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(start + CHUNK, n))
        block = _rank_block(problem, rows)
        best = np.argpartition(block, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (len(rows), 1))
        tails.append(np.repeat(rows, best.shape[1]))
        heads.append(best.ravel())
    reached = np.bincount(np.concatenate(heads), minlength=m)
    lonely = np.flatnonzero(reached < 2 * problem.lower)
    if len(lonely):
        r = int(min(n, max(1, problem.upper[lonely].max())))
        columns = np.concatenate(
            [_rank_block(problem, np.arange(s, min(s + CHUNK, n)), lonely) for s in range(0, n, CHUNK)]
        )
        top = np.argpartition(columns, r - 1, axis=0)[:r] if r < n else np.tile(np.arange(n)[:, None], (1, len(lonely)))
        tails.append(top.ravel())
        heads.append(np.broadcast_to(lonely[None, :], top.shape).ravel())
    return np.concatenate(tails), np.concatenate(heads)


class _Network:
    """The sparse graph and its solves; arcs are added, never removed."""

    def __init__(self, problem: Problem, tails: np.ndarray, heads: np.ndarray):
        self.p = problem
        n, m = problem.n, problem.m
        self.sink, self.hub = n + m, n + m + 1
        self.present: set[int] = set()  # h * m + j of every household → member arc
        self.tails = np.empty(0, dtype=np.int64)
        self.heads = np.empty(0, dtype=np.int64)
        self.costs = np.empty(0, dtype=np.int64)
        self.add(tails, heads)
        self.rounds = 0

    def add(self, tails: np.ndarray, heads: np.ndarray) -> int:
        keys = tails.astype(np.int64) * self.p.m + heads
        keys, first = np.unique(keys, return_index=True)
        if self.present:
            fresh = np.fromiter((k not in self.present for k in keys.tolist()), dtype=bool, count=len(keys))
            keys, first = keys[fresh], first[fresh]
        if not len(keys):
            return 0
        self.present.update(keys.tolist())
        t, h = keys // self.p.m, keys % self.p.m
        c = self.p.pair_costs(t, h)
        self.tails = np.concatenate([self.tails, t])
        self.heads = np.concatenate([self.heads, h])
        self.costs = np.concatenate([self.costs, c])
        return len(keys)

    def solve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(member index per household, or -1 where it went through the hub; flow on each member → sink;
        flow from the hub to each member)."""
        p, n, m = self.p, self.p.n, self.p.m
        self.rounds += 1
        big = (int(self.costs.max(initial=0)) + 1) * (n + 1)
        flow = min_cost_flow.SimpleMinCostFlow()
        real = len(self.tails)
        members = np.arange(m)
        tails = np.concatenate([self.tails, n + members, np.arange(n), np.full(m, self.hub)])
        heads = np.concatenate([n + self.heads, np.full(m, self.sink), np.full(n, self.hub), n + members])
        caps = np.concatenate([np.ones(real, np.int64), p.upper - p.lower, np.ones(n, np.int64), p.upper])
        costs = np.concatenate([self.costs, np.zeros(m, np.int64), np.full(n, big), np.zeros(m, np.int64)])
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.concatenate([np.ones(n, np.int64), -p.lower, [-(n - int(p.lower.sum())), 0]])
        flow.set_nodes_supplies(np.arange(n + m + 2), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow ended with status {status}")
        flows = flow.flows(np.arange(len(tails)))
        assignment = np.full(n, -1, dtype=np.int64)
        used = np.flatnonzero(flows[:real])
        assignment[self.tails[used]] = self.heads[used]
        return assignment, flows[real : real + m], flows[real + m + n :]


def _potentials(net: _Network, assignment: np.ndarray, to_sink: np.ndarray) -> np.ndarray:
    """Shortest distances in the residual graph from a virtual root joined to every node (Bellman-Ford).

    They exist because the flow is optimal on the sparse graph (no negative cycle). Returned for households
    (0..n-1), members (n..n+m-1) and the sink (n+m).
    """
    p, n, m = net.p, net.p.n, net.p.m
    dist = np.zeros(n + m + 1, dtype=np.int64)
    on = assignment[net.tails] == net.heads
    # Forward arcs household → member with no flow; backward member → household with the unit it carries.
    fwd_t, fwd_h, fwd_c = net.tails[~on], n + net.heads[~on], net.costs[~on]
    back_t, back_h, back_c = n + net.heads[on], net.tails[on], -net.costs[on]
    spare = np.flatnonzero(to_sink < p.upper - p.lower)  # member → sink still open
    carrying = np.flatnonzero(to_sink > 0)  # sink → member (undo)
    tails = np.concatenate([fwd_t, back_t, n + spare, np.full(len(carrying), n + m)])
    heads = np.concatenate([fwd_h, back_h, np.full(len(spare), n + m), n + carrying])
    costs = np.concatenate([fwd_c, back_c, np.zeros(len(spare) + len(carrying), np.int64)])
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    targets = heads[starts]
    for _ in range(n + m + 2):
        best = np.minimum.reduceat(dist[tails] + costs, starts)
        improved = best < dist[targets]
        if not improved.any():
            return dist
        dist[targets[improved]] = best[improved]
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


def _violations(net: _Network, dist: np.ndarray, per_household: int) -> tuple[np.ndarray, np.ndarray]:
    """Omitted arcs with a negative reduced cost (the `per_household` most negative of each household)."""
    p, n = net.p, net.p.n
    tails, heads = [], []
    member_pot = dist[n : n + p.m]
    for start in range(0, n, CHUNK):
        rows = np.arange(start, min(start + CHUNK, n))
        # Candidates by the fast costs (with a metre to spare), then the exact integer costs decide.
        approx = p.approx(rows) + dist[rows][:, None] - member_pot[None, :]
        rr, cc = np.nonzero(approx < 1.0)
        if not len(rr):
            continue
        exact = p.pair_costs(rows[rr], cc) + dist[rows[rr]] - member_pot[cc]
        neg = exact < 0
        rr, cc = rr[neg], cc[neg]
        if not len(rr):
            continue
        reduced = np.zeros((len(rows), p.m))
        reduced[rr, cc] = exact[neg]
        keep = np.fromiter(
            ((int(rows[r]) * p.m + int(c)) not in net.present for r, c in zip(rr, cc, strict=True)),
            dtype=bool,
            count=len(rr),
        )
        rr, cc = rr[keep], cc[keep]
        if per_household and len(rr):
            order = np.lexsort((reduced[rr, cc], rr))
            rr, cc = rr[order], cc[order]
            rank = np.arange(len(rr)) - np.searchsorted(rr, rr)
            rr, cc = rr[rank < per_household], cc[rank < per_household]
        tails.append(rows[rr])
        heads.append(cc)
    if not tails:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(tails), np.concatenate(heads)


def solve(problem: Problem, *, k: int = 16, prove: bool = True, max_rounds: int = 50) -> Plan:
    """The optimal assignment (proved when `prove`); raises Infeasible when the bounds cannot hold."""
    check_bounds(problem)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    if problem.n == 0:
        return Plan(np.empty(0, np.int64), 0, 0, 0, 0, True, 0.0)
    t = time.perf_counter()
    net = _Network(problem, *nearest(problem, k))
    timings["nearest"] = time.perf_counter() - t
    t = time.perf_counter()
    assignment, to_sink, via_hub = net.solve()
    # A member reached through the hub: the k nearest did not suffice; give it every arc and solve again.
    while via_hub.any():
        everyone = np.arange(problem.n)
        for j in np.flatnonzero(via_hub):
            net.add(everyone, np.full(problem.n, j))
        assignment, to_sink, via_hub = net.solve()
    timings["flow"] = time.perf_counter() - t
    proved = False
    if prove:
        t = time.perf_counter()
        while net.rounds < max_rounds:
            dist = _potentials(net, assignment, to_sink)
            tails, heads = _violations(net, dist, per_household=4)
            if not len(tails):
                proved = True
                break
            net.add(tails, heads)
            assignment, to_sink, _via_hub = net.solve()
        timings["proof"] = time.perf_counter() - t
    return Plan(
        assignment=assignment,
        cost=problem.cost_of(assignment),
        distance=problem.cost_of(assignment, apart_pct=0),
        arcs=len(net.tails),
        rounds=net.rounds,
        proved=proved,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def optimum_distance(problem: Problem, *, k: int = 16) -> Plan:
    """The minimum total distance under the bounds alone (no hamlet term), proved on the full graph."""
    plain = Problem(**{**problem.__dict__, "apart_pct": 0})
    return solve(plain, k=k, prove=True, max_rounds=1_000)


def dense(problem: Problem) -> Plan:
    """The full graph, every arc (for checks on small and medium cases)."""
    everyone = np.repeat(np.arange(problem.n), problem.m), np.tile(np.arange(problem.m), problem.n)
    check_bounds(problem)
    started = time.perf_counter()
    net = _Network(problem, *everyone)
    assignment, _to_sink, _via_hub = net.solve()
    return Plan(
        assignment,
        problem.cost_of(assignment),
        problem.cost_of(assignment, apart_pct=0),
        len(net.tails),
        1,
        True,
        time.perf_counter() - started,
    )


def project(lat: np.ndarray, lon: np.ndarray, origin: tuple[float, float]) -> np.ndarray:
    """Degrees to metres east and north of `origin` (lat, lon); NaN stays NaN."""
    lat0, lon0 = origin
    x = (lon - lon0) * METRES_PER_DEGREE * math.cos(math.radians(lat0))
    y = (lat - lat0) * METRES_PER_DEGREE
    return np.column_stack([x, y]).astype(float)
