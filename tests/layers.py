#!/usr/bin/env python3
"""The library's layers (docs/architecture.md) hold: a file of lib/<layer>/
includes only the headers of its own layer and the layers below, but for
the exceptions named here, and every lib/*/*.c is in a known layer.

A header belongs to the layer of the .c file of its name (store.h to
store/, error.h to core/); one without such a file is named in OWN.
Exit 0 when the layers hold, 1 with one line per breach.
usage: layers.py SOURCE_DIR
"""
import os
import re
import sys

ORDER = ["core", "store", "records", "policy", "audit", "output"]

# headers with no .c file of their name
OWN = {"role": "core"}

# (file, header): the calls up that the design makes on purpose
ALLOWED = {
    # the write path runs the change policy, which finds the author in
    # the registry (architecture.md, "Layers")
    ("lib/store/write.c", "policy"),
    ("lib/store/write.c", "registry"),
    # a plan's review dates are the deadline rules'
    ("include/casetrail/cmp.h", "rules"),
    ("lib/records/cmp.c", "evaluate"),
}


def main(root):
    layer = dict(OWN)
    sources = []
    for d in sorted(os.listdir(os.path.join(root, "lib"))):
        path = os.path.join(root, "lib", d)
        if not os.path.isdir(path):
            continue
        for f in sorted(os.listdir(path)):
            if f.endswith(".c"):
                if d not in ORDER:
                    print(f"lib/{d}/{f}: not in a layer of {ORDER}")
                    return 1
                layer[f[:-2]] = d
                sources.append((f"lib/{d}/{f}", d))
    stray = [f for f in os.listdir(os.path.join(root, "lib"))
             if f.endswith(".c")]
    breaches = [f"lib/{f}: a source outside the layer directories"
                for f in stray]
    inc = os.path.join(root, "include", "casetrail")
    for f in sorted(os.listdir(inc)):
        name = f[:-2]
        if name not in layer:
            breaches.append(f"include/casetrail/{f}: no layer (no lib/*/"
                            f"{name}.c, not in OWN)")
        else:
            sources.append((f"include/casetrail/{f}", layer[name]))
    for rel, own in sources:
        text = open(os.path.join(root, rel), encoding="utf-8").read()
        for m in re.finditer(r'#include "casetrail/(\w+)\.h"', text):
            h = m.group(1)
            if h not in layer:
                breaches.append(f"{rel}: includes {h}.h, of no layer")
            elif (ORDER.index(layer[h]) > ORDER.index(own) and
                  (rel, h) not in ALLOWED):
                breaches.append(f"{rel} ({own}) includes {h}.h "
                                f"({layer[h]}), a layer above")
    for b in breaches:
        print(b)
    return 1 if breaches else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
