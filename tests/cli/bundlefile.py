# A case bundle taken apart and put back together, for the tests that
# change one (0175, 0176): read(path) gives the header lines before
# "objects", the objects as [type, id, body] and what follows the last
# ("end\n"); write(path, lines, objs, rest) writes them as a bundle.


def read(path):
    data = open(path, "rb").read()
    head, rest = data.split(b"\nobjects ", 1)
    count, rest = rest.split(b"\n", 1)
    objs = []
    for _ in range(int(count)):
        h, rest = rest.split(b"\n", 1)
        t, i, n = h.split(b" ")
        objs.append([t, i, rest[:int(n)]])
        rest = rest[int(n) + 1:]
    return head.split(b"\n"), objs, rest


def write(path, lines, objs, rest):
    out = b"\n".join(lines) + b"\nobjects %d\n" % len(objs)
    for t, i, body in objs:
        out += t + b" " + i + b" %d\n" % len(body) + body + b"\n"
    open(path, "wb").write(out + rest)
