"""The rota planner (C11.4): which cadre attends which cell's monthly meeting over a period, proposed by a
solver, then edited and accepted by the committee (chibo.supervision.services.rota_*).

For cadres C, cells L and months M (usually a quarter) the rota is a min-cost flow (OR-Tools
SimpleMinCostFlow), one unit per visit:

    cell l ──(cadre c may attend l; cost of c at l in month m; capacity 1)──▶ (c, m)
    (c, m) ──(capacity K: each cadre attends at most K meetings a month)──▶ c
    c ──(the j-th visit of the period costs BALANCE × j: loads are kept even)──▶ sink
    cell l ──(nobody can come: UNCOVERED)──▶ sink

- candidate pairs are the cadres assigned to the cell and those assigned to its sibling cells (the same
  committee's cadres), so the graph grows with the number of cells, not cells × cadres;
- every cell sends one unit (visited at least once in the period) — or two to the one month where the
  committee asked for two cadres at the meeting: each (cell, cadre, month) arc carries one unit, so two
  units are two different cadres at that meeting and otherwise there is never more than one;
- a visit costs something (no needless visits), a cadre not assigned to the cell more, a later month more —
  much more for cells whose scores or attendance are falling (they are visited first);
- a cell no cadre can take goes to the sink at a high price: a committee short of cadres still gets a rota,
  and sees which cells it cannot cover.

A min-cost flow is solved exactly (its linear relaxation has integral optima), so the solver's lower bound is
the rota's cost: the gap reported beside every plan is 0, proved, not hoped for.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

VISIT = 10  # every visit
NOT_ASSIGNED = 6  # the cadre does not follow this cell
LATER_MONTH = 1  # per month of delay, times (1 + PRIORITY_WEIGHT × priority)
PRIORITY_WEIGHT = 3
UNCOVERED = 1000  # a visit nobody can make
BALANCE = 2  # the j-th visit of a cadre in the period costs BALANCE × j


@dataclass(frozen=True)
class RotaInput:
    cells: list[int]
    cadres: list[int]
    months: int
    max_per_month: int
    candidates: dict[int, list[int]]  # cell → cadres who may attend it
    assigned: frozenset[tuple[int, int]] = frozenset()  # (cadre, cell) pairs the committee assigned
    priority: dict[int, int] = field(default_factory=dict)  # cell → 0 (none) .. 2 (falling scores and attendance)
    doubles: dict[int, int] = field(default_factory=dict)  # cell → the month index where two cadres are asked


@dataclass
class RotaResult:
    visits: list[tuple[int, int, int]]  # (cadre, cell, month index)
    cost: int
    bound: int
    status: str
    seconds: float
    uncovered: list[int]  # cells (with a missing visit) no cadre could take

    @property
    def gap(self) -> float:
        """Relative distance between the rota's cost and the solver's bound (0: proved optimal)."""
        return 0.0 if self.cost == 0 else (self.cost - self.bound) / self.cost


def visit_cost(data: RotaInput, cadre: int, cell: int, month: int) -> int:
    late = month * LATER_MONTH * (1 + PRIORITY_WEIGHT * data.priority.get(cell, 0))
    return VISIT + (0 if (cadre, cell) in data.assigned else NOT_ASSIGNED) + late


def plan_rota(data: RotaInput) -> RotaResult:
    """Solve the rota exactly; see the module's docstring for the graph."""
    started = time.perf_counter()
    cadres = sorted({c for cs in data.candidates.values() for c in cs} & set(data.cadres))
    n_cells, months, k = len(data.cells), data.months, data.max_per_month
    cadre_index = {c: i for i, c in enumerate(cadres)}
    # Nodes: cells, then (cadre, month), then cadres, then the sink.
    cm0 = n_cells
    cadre0 = cm0 + len(cadres) * months
    sink = cadre0 + len(cadres)
    tails: list[int] = []
    heads: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    visit_arcs: list[tuple[int, int, int]] = []  # (cadre, cell, month) of arcs 0..len-1
    supplies = np.zeros(sink + 1, dtype=np.int64)
    for i, cell in enumerate(data.cells):
        double = data.doubles.get(cell, -1)
        wanted = 2 if 0 <= double < months else 1
        supplies[i] = wanted
        for cadre in data.candidates.get(cell, ()):
            j = cadre_index.get(cadre)
            if j is None:
                continue
            for m in range(months) if wanted == 1 else (double,):
                tails.append(i)
                heads.append(cm0 + j * months + m)
                caps.append(1)
                costs.append(visit_cost(data, cadre, cell, m))
                visit_arcs.append((cadre, cell, m))
    n_visit_arcs = len(visit_arcs)
    for j in range(len(cadres)):
        for m in range(months):
            tails.append(cm0 + j * months + m)
            heads.append(cadre0 + j)
            caps.append(k)
            costs.append(0)
        for load in range(1, k * months + 1):
            tails.append(cadre0 + j)
            heads.append(sink)
            caps.append(1)
            costs.append(BALANCE * load)
    first_uncovered = len(tails)
    for i in range(n_cells):
        tails.append(i)
        heads.append(sink)
        caps.append(int(supplies[i]))
        costs.append(UNCOVERED)
    total = int(supplies.sum())
    supplies[sink] = -total
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(caps, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        # Cannot happen: the uncovered arcs always carry every unit. Never return half a plan.
        raise RuntimeError(f"rota flow returned status {status}")
    used = flow.flows(arcs)
    chosen = [visit_arcs[a] for a in np.nonzero(used[:n_visit_arcs])[0]]
    uncovered = [data.cells[i] for i in range(n_cells) if used[first_uncovered + i] > 0]
    cost = int(flow.optimal_cost())
    return RotaResult(
        visits=sorted(chosen, key=lambda v: (v[2], v[1], v[0])),
        cost=cost,
        bound=cost,  # exact: a min-cost flow's optimum is integral (see the docstring)
        status="OPTIMAL",
        seconds=time.perf_counter() - started,
        uncovered=uncovered,
    )


def loads(visits: list[tuple[int, int, int]]) -> dict[tuple[int, int], int]:
    """(cadre, month index) → visits."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    for cadre, _cell, m in visits:
        out[cadre, m] += 1
    return out
