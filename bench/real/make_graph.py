"""Writes a deterministic random directed graph in DOT for scripts/bench-real: NODES nodes in
ranks, each with a few edges to later nodes (a layered graph such as call graphs and build
dependency graphs are), labelled, so that `dot` does all of its phases: ranking, crossing
minimisation, positioning and spline routing.

    python3 make_graph.py NODES SEED > graph.dot
"""
import random
import sys

nodes, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
print("digraph bench {")
print('  node [shape=box, fontsize=10]; edge [arrowsize=0.6];')
for n in range(nodes):
    print(f'  n{n} [label="node {n}\\n{rng.randrange(1 << 16):04x}"];')
for n in range(nodes - 1):
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        target = min(nodes - 1, n + 1 + int(rng.expovariate(1 / 12)))
        print(f"  n{n} -> n{target};")
print("}")
