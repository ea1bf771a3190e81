"""Prints reference COCO RLE encodings made by pycocotools, pasted into CocoRleTest.

Run once: python3 src/test/python/rle_fixtures.py
Each mask is defined by integer arithmetic that the Java test repeats exactly.
"""
import numpy as np
from pycocotools import mask as mask_utils


def masks():
    yield "rows", 5, 7, lambda y, x: (x + 2 * y) % 3 == 0
    yield "disc", 30, 40, lambda y, x: (x - 15) ** 2 + (y - 12) ** 2 <= 64
    yield "disc_and_bar", 48, 33, lambda y, x: (x - 20) ** 2 + (y - 30) ** 2 <= 100 or (3 <= x <= 5 and y >= 2)
    yield "empty", 4, 6, lambda y, x: False
    yield "full", 3, 9, lambda y, x: True
    yield "large_runs", 200, 150, lambda y, x: 10 <= x < 140 and 5 <= y < 190 and not (50 <= x < 60)


for name, h, w, inside in masks():
    m = np.zeros((h, w), dtype=np.uint8, order="F")
    for y in range(h):
        for x in range(w):
            m[y, x] = 1 if inside(y, x) else 0
    rle = mask_utils.encode(m)
    counts = rle["counts"].decode("ascii")
    assert (mask_utils.decode(rle) == m).all()
    # uncompressed counts: runs in column-major order starting with zeros, as pycocotools' frPyObjects accepts
    flat = m.flatten(order="F")
    runs, current, length = [], 0, 0
    for v in flat:
        if v == current:
            length += 1
        else:
            runs.append(length)
            current, length = v, 1
    runs.append(length)
    back = mask_utils.frPyObjects({"size": [h, w], "counts": runs}, h, w)
    assert back["counts"].decode("ascii") == counts
    print(name, h, w, int(m.sum()), repr(counts), runs if len(runs) <= 20 else len(runs))
