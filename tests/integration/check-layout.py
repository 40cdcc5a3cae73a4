#!/usr/bin/env python3
"""The glue's shape (issue 16): no plugin source over 800 lines, and no circle among the plugin's
modules, by includes or by calls (a module only looks down). A module is a .c file with its
header; a call is a use of a tlsauth_* function another module defines.
Usage: check-layout.py PLUGIN_DIR"""
import glob
import os
import re
import sys

plugin = sys.argv[1]
failed = False
sources = sorted(glob.glob(os.path.join(plugin, "*.c")) + glob.glob(os.path.join(plugin, "*.h")) +
                 glob.glob(os.path.join(plugin, "core", "*.c")) + glob.glob(os.path.join(plugin, "core", "*.h")))
for path in sources:
    lines = sum(1 for _ in open(path, encoding="utf-8"))
    if lines > 800:
        print(f"FAIL {os.path.relpath(path, plugin)}: {lines} lines (at most 800)")
        failed = True

def module(path):
    return os.path.splitext(os.path.basename(path))[0]

glue = [p for p in sources if os.path.dirname(p) == plugin.rstrip("/")]
edges = {module(p): set() for p in glue}
defined = {}
texts = {p: open(p, encoding="utf-8").read() for p in glue}
for p, text in texts.items():
    if p.endswith(".c"):
        for m in re.finditer(r"^[A-Za-z_][\w \*]*\b(tlsauth_\w+)\(", text, re.M):
            defined[m.group(1)] = module(p)
for p, text in texts.items():
    me = module(p)
    for inc in re.findall(r'#include "([\w.]+)\.h"', text):
        if inc in edges and inc != me:
            edges[me].add(inc)
    for name, owner in defined.items():
        if owner != me and re.search(r"\b" + name + r"\b", text):
            edges[me].add(owner)

def find_cycle():
    state = {}
    def visit(n, path):
        state[n] = 1
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state:
                c = visit(m, path + [m])
                if c:
                    return c
        state[n] = 2
        return None
    for n in sorted(edges):
        if n not in state:
            c = visit(n, [n])
            if c:
                return c
    return None

cycle = find_cycle()
if cycle:
    print("FAIL a circle among plugin modules: " + " -> ".join(cycle))
    failed = True
if failed:
    sys.exit(1)
print(f"ok: {len(sources)} files of at most 800 lines; {len(edges)} glue modules, no circle")
