"""Independent shortest paths for main/core/routing/roads.real.test.ts, with networkx.

Reads the same GeoJSON road file and applies the rules docs/routing.md states (which classes each
mode may use, oneway, maxspeed else a speed per class), written again here without Vigie's code.
Prints JSON: sampled routes (time-shortest for vehicles, shortest for walkers) and one-way cases.
"""
import json
import random
import re
import sys

import networkx as nx

DRIVE = {"motorway": 110, "motorway_link": 60, "trunk": 90, "trunk_link": 50, "primary": 50, "primary_link": 40,
         "secondary": 50, "secondary_link": 40, "tertiary": 50, "tertiary_link": 30, "unclassified": 40,
         "residential": 30, "living_street": 20, "service": 20, "road": 30}
NO_WALK = {"motorway", "motorway_link", "trunk", "trunk_link", "bus_guideway", "raceway", "construction", "proposed", "abandoned", "platform"}
NAMED = {"fr:urban": 50, "fr:rural": 80, "fr:motorway": 130, "fr:trunk": 110, "fr:zone30": 30, "fr:zone20": 20, "fr:walk": 6, "walk": 6, "fr:living_street": 20}


def values(v):
    if v is None:
        return []
    s = str(v).strip()
    if s.startswith("[") and s.endswith("]"):
        return [x.strip().strip("'\"") for x in s[1:-1].split(",") if x.strip()]
    return [s] if s else []


def kmh(v):
    s = v.strip().lower()
    if s in NAMED:
        return NAMED[s]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", s)
    if not m or float(m.group(1)) <= 0:
        return None
    return float(m.group(1)) * (1.609344 if m.group(2) == "mph" else 1)


def add(g, a, b, **w):
    key = "time" if "time" in w else "length"
    if not g.has_edge(a, b) or g[a][b][key] > w[key]:
        g.add_edge(a, b, **w)


def main(path, samples):
    fc = json.load(open(path))
    drive, walk = nx.DiGraph(), nx.DiGraph()
    coord = {}
    for f in fc["features"]:
        p = f["properties"]
        c = f["geometry"]["coordinates"]
        u, v = p["u"], p["v"]
        coord[u], coord[v] = c[0], c[-1]
        classes = values(p.get("highway"))
        length = float(p["length"])
        if classes and not any(x in NO_WALK for x in classes):
            add(walk, u, v, length=length)
            add(walk, v, u, length=length)
        if classes and all(x in DRIVE for x in classes):
            limits = [k for k in (kmh(x) for x in values(p.get("maxspeed"))) if k is not None]
            speed = min(limits) if limits else min(DRIVE[x] for x in classes)
            one = (values(p.get("oneway")) or [""])[0].lower()
            back, fwd = one in ("-1", "reverse"), one in ("yes", "true", "1")
            w = dict(time=length / (speed / 3.6), length=length)
            if not back:
                add(drive, u, v, **w)
            if not fwd:
                add(drive, v, u, **w)
    # Points shared by two node ids would snap to either: sample only nodes alone at their place.
    at = {}
    for n, c in coord.items():
        at.setdefault((round(c[0], 7), round(c[1], 7)), []).append(n)
    alone = lambda n: len(at[(round(coord[n][0], 7), round(coord[n][1], 7))]) == 1
    rnd = random.Random(17)
    out = {"routes": [], "oneway": [], "nodes": {"drive": drive.number_of_nodes(), "walk": walk.number_of_nodes()}}
    for mode, g, weight in (("vehicle", drive, "time"), ("foot", walk, "length")):
        nodes = sorted(n for n in g.nodes if alone(n))
        for _ in range(samples):
            a, b = rnd.choice(nodes), rnd.choice(nodes)
            try:
                route = nx.dijkstra_path(g, a, b, weight=weight)
            except nx.NetworkXNoPath:
                out["routes"].append({"mode": mode, "from": coord[a], "to": coord[b], "reachable": False})
                continue
            edges = list(zip(route, route[1:]))
            out["routes"].append({"mode": mode, "from": coord[a], "to": coord[b], "reachable": True,
                                  "distanceM": sum(g[x][y]["length"] for x, y in edges),
                                  "timeS": sum(g[x][y]["time"] for x, y in edges) if mode == "vehicle" else None})
    # One-way streets: drivable u->v only. The way back must go round, and be longer.
    cases = [(u, v) for u, v in drive.edges if not drive.has_edge(v, u) and alone(u) and alone(v) and nx.has_path(drive, v, u)]
    for u, v in sorted(cases)[:: max(1, len(cases) // 25)][:25]:
        back = nx.dijkstra_path(drive, v, u, weight="time")
        out["oneway"].append({"from": coord[u], "to": coord[v], "forwardM": drive[u][v]["length"], "forwardS": drive[u][v]["time"],
                              "backM": sum(drive[x][y]["length"] for x, y in zip(back, back[1:])),
                              "backS": sum(drive[x][y]["time"] for x, y in zip(back, back[1:]))})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
