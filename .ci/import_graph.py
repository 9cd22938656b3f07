"""The import graph between chibo's apps: which apps import one another in a cycle (issue 15).

    .venv/bin/python .ci/import_graph.py        # the app-level cycle and its size
    .venv/bin/python .ci/import_graph.py -v     # and the module imports behind each edge of the cycle

Apps are chibo's first-level packages; tests and migrations are left out. The module-level graph is
reported too: the layering contracts (.importlinter) hold on modules, the app-level cycle is what is left
when an app's pages sit above another app's services and that app's pages above the first one's.
"""

import collections
import os
import sys

sys.path.insert(0, os.getcwd())
import grimp  # noqa: E402


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    sys.setrecursionlimit(100_000)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            found.append(sorted(component))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


def main() -> None:
    graph = grimp.build_graph("chibo", cache_dir=None)
    modules = [m for m in graph.modules if ".tests" not in m and ".migrations" not in m]
    module_edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules} for m in modules}
    app_edges: dict[str, set[str]] = collections.defaultdict(set)
    behind: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for m, imported in module_edges.items():
        for i in imported:
            a, b = m.split(".")[1:2], i.split(".")[1:2]
            if a and b and a != b:
                app_edges[a[0]].add(b[0])
                behind[(a[0], b[0])].append(f"{m} -> {i}")
    app_cycles = [c for c in strongly_connected(app_edges) if len(c) > 1]
    module_cycles = [c for c in strongly_connected(module_edges) if len(c) > 1]
    print(f"apps: {len(set(app_edges) | {b for bs in app_edges.values() for b in bs})}")
    print(f"largest app cycle: {max((len(c) for c in app_cycles), default=0)} apps")
    for cycle in app_cycles:
        print("  " + ", ".join(cycle))
        if "-v" in sys.argv:
            for a in cycle:
                for b in sorted(app_edges[a] & set(cycle)):
                    print(f"    {a} -> {b}: {len(behind[(a, b)])} imports, e.g. {sorted(behind[(a, b)])[0]}")
    print(f"module cycles: {len(module_cycles)} (sizes {sorted(len(c) for c in module_cycles)})")
    for cycle in module_cycles:
        print("  " + ", ".join(cycle))


if __name__ == "__main__":
    main()
