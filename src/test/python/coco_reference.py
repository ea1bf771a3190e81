"""Reference numbers for the metrics tests, from the reference implementations.

Rebuilds the random data sets of the Java test generators (CocoDatasetGenerator,
MaskDatasetGenerator, KeypointDatasetGenerator, CaptionCorpusGenerator in
src/test/java/io/seqvision/tasks/metrics) from the same seeds, with the same integer draws, and
scores them with pycocotools' COCOeval ('bbox', 'segm', 'keypoints') or coco-caption's Bleu and
Cider (the pycocoevalcap package). Prints one JSON object per seed.

    python3 coco_reference.py boxes|masks|keypoints|captions FIRST_SEED LAST_SEED

Needs numpy and pycocotools (2.0.11 was used); captions also need coco-caption's pycocoevalcap
importable (the pip package, or a checkout of salaniz/pycocoevalcap on PYTHONPATH; ad63453 was used).
"""
import contextlib
import io
import json
import sys

import numpy as np

MASK64 = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, bound):
        return self.next() % bound


# ---------------------------------------------------------------- boxes (CocoDatasetGenerator)

def box_dataset(seed):
    r = SplitMix64(seed)
    image_count = 5 + r.below(40)
    heavy = r.below(4) == 0
    images, gts, dets = [], [], []
    bases, spreads = [4, 30, 90], [30, 70, 200]
    for i in range(image_count):
        image = 1000 + 7 * i
        images.append(image)
        for _ in range(r.below(7)):
            category = 1 + r.below(4)
            size = r.below(3)
            w = bases[size] + r.below(spreads[size])
            h = bases[size] + r.below(spreads[size])
            x = r.below(300)
            y = r.below(300)
            crowd = r.below(12) == 0
            area = (w * h * (50 + r.below(51))) / 100.0
            gts.append(dict(image_id=image, category_id=category, bbox=[x, y, w, h], area=area,
                            iscrowd=int(crowd)))
            for _ in range(r.below(4)):
                dx, dy, dw, dh = (r.below(9) - 4 for _ in range(4))
                det_category = (1 + r.below(4)) if r.below(10) == 0 else category
                score = r.below(21) / 20.0
                dets.append(dict(image_id=image, category_id=det_category,
                                 bbox=[x + dx, y + dy, max(1, w + dw), max(1, h + dh)], score=score))
        burst = heavy and r.below(3) == 0
        for _ in range(r.below(4) + (250 if burst else 0)):
            category = 1 if (burst and r.below(2) == 0) else 1 + r.below(4)
            w = 2 + r.below(150)
            h = 2 + r.below(150)
            x = r.below(350)
            y = r.below(350)
            dets.append(dict(image_id=image, category_id=category, bbox=[x, y, w, h],
                             score=r.below(101) / 100.0))
    return images, gts, dets, [1, 2, 3, 4]


# ---------------------------------------------------------------- masks (MaskDatasetGenerator)

def rasterize(vertices, width, height):
    ys, xs = np.mgrid[0:height, 0:width].astype(np.int64)
    px, py = 2 * xs + 1, 2 * ys + 1
    inside = np.zeros((height, width), dtype=bool)
    corners = len(vertices) // 2
    b = corners - 1
    for a in range(corners):
        ax, ay = 2 * vertices[2 * a], 2 * vertices[2 * a + 1]
        bx, by = 2 * vertices[2 * b], 2 * vertices[2 * b + 1]
        cross = (ay > py) != (by > py)
        den = by - ay
        left = (px - ax) * den
        right = (py - ay) * (bx - ax)
        inside ^= cross & ((left < right) if den > 0 else (left > right))
        b = a
    return inside


def mask_shape(r, width, height):
    bases, spreads = [2, 10, 50], [6, 20, 80]
    size = r.below(3)
    radius = bases[size] + r.below(spreads[size])
    cx = r.below(width)
    cy = r.below(height)
    kind = r.below(3)
    if kind == 0:
        rx = 1 + radius // 2 + r.below(radius // 2 + 1)
        ry = 1 + radius // 2 + r.below(radius // 2 + 1)
        return [cx - rx, cy - ry, cx + rx, cy - ry, cx + rx, cy + ry, cx - rx, cy + ry]
    vertices = []
    for _ in range(3 if kind == 1 else 4):
        vertices.append(cx + r.below(2 * radius + 1) - radius)
        vertices.append(cy + r.below(2 * radius + 1) - radius)
    return vertices


def jitter(r, shape):
    dx = r.below(7) - 3
    dy = r.below(7) - 3
    moved = []
    for v in range(0, len(shape), 2):
        moved.append(shape[v] + dx + r.below(5) - 2)
        moved.append(shape[v + 1] + dy + r.below(5) - 2)
    return moved


def mask_dataset(seed):
    from pycocotools import mask as mask_utils

    def rle(pixels):
        return mask_utils.encode(np.asfortranarray(pixels.astype(np.uint8)))

    r = SplitMix64(seed)
    image_count = 4 + r.below(12)
    heavy = r.below(4) == 0
    images, gts, dets = [], [], []
    for i in range(image_count):
        image = 500 + 3 * i
        width = 24 + r.below(220)
        height = 24 + r.below(220)
        images.append(dict(id=image, width=width, height=height))
        for _ in range(r.below(6)):
            category = 1 + r.below(3)
            shape = mask_shape(r, width, height)
            crowd = r.below(10) == 0
            pixels = rasterize(shape, width, height)
            area = (int(pixels.sum()) * (60 + r.below(41))) / 100.0
            gts.append(dict(image_id=image, category_id=category, segmentation=rle(pixels), area=area,
                            iscrowd=int(crowd)))
            for _ in range(r.below(4)):
                det_category = (1 + r.below(3)) if r.below(10) == 0 else category
                score = r.below(11) / 10.0
                if r.below(15) == 0:
                    det_pixels = np.zeros((height, width), dtype=bool)
                else:
                    det_pixels = rasterize(jitter(r, shape), width, height)
                dets.append(dict(image_id=image, category_id=det_category, segmentation=rle(det_pixels),
                                 score=score))
        burst = heavy and r.below(3) == 0
        for _ in range(r.below(3) + (240 if burst else 0)):
            category = 1 if (burst and r.below(2) == 0) else 1 + r.below(3)
            pixels = rasterize(mask_shape(r, width, height), width, height)
            dets.append(dict(image_id=image, category_id=category, segmentation=rle(pixels),
                             score=r.below(101) / 100.0))
    return images, gts, dets, [1, 2, 3]


# ---------------------------------------------------------------- keypoints (KeypointDatasetGenerator)

def keypoint_dataset(seed):
    r = SplitMix64(seed)
    image_count = 4 + r.below(14)
    heavy = r.below(3) == 0
    images, gts, dets = [], [], []
    bases, spreads = [15, 40, 100], [40, 100, 200]
    for i in range(image_count):
        image = 700 + 5 * i
        images.append(image)
        for _ in range(r.below(5)):
            category = 2 if r.below(5) == 0 else 1
            size = r.below(3)
            w = bases[size] + r.below(spreads[size])
            h = bases[size] + r.below(spreads[size])
            x = r.below(400)
            y = r.below(400)
            area = (w * h * (40 + r.below(61))) / 100.0
            crowd = r.below(12) == 0
            unlabelled = r.below(6) == 0
            keypoints = [0.0] * 51
            for k in range(17):
                v = 0 if (unlabelled or r.below(4) == 0) else 1 + r.below(2)
                if v > 0:
                    keypoints[3 * k] = x + r.below(4 * w + 1) / 4.0
                    keypoints[3 * k + 1] = y + r.below(4 * h + 1) / 4.0
                    keypoints[3 * k + 2] = v
            gts.append(dict(image_id=image, category_id=category, keypoints=keypoints,
                            num_keypoints=sum(1 for k in range(17) if keypoints[3 * k + 2] > 0),
                            bbox=[x, y, w, h], area=area, iscrowd=int(crowd)))
            for _ in range(r.below(4)):
                spread = 1 + (w + h) // (4 + r.below(40))
                guess = [0.0] * 51
                for k in range(17):
                    gx = keypoints[3 * k] if keypoints[3 * k + 2] > 0 else x - w + r.below(4 * w + 1)
                    gy = keypoints[3 * k + 1] if keypoints[3 * k + 2] > 0 else y - h + r.below(4 * h + 1)
                    guess[3 * k] = gx + (r.below(2 * spread + 1) - spread) / 4.0
                    guess[3 * k + 1] = gy + (r.below(2 * spread + 1) - spread) / 4.0
                    guess[3 * k + 2] = 1
                det_category = (1 + r.below(2)) if r.below(10) == 0 else category
                dets.append(dict(image_id=image, category_id=det_category, keypoints=guess,
                                 score=r.below(21) / 20.0))
        burst = heavy and r.below(2) == 0
        for _ in range(r.below(3) + (30 if burst else 0)):
            fx = r.below(400)
            fy = r.below(400)
            extent = 10 + r.below(150)
            guess = [0.0] * 51
            for p in range(17):
                guess[3 * p] = fx + r.below(4 * extent + 1) / 4.0
                guess[3 * p + 1] = fy + r.below(4 * extent + 1) / 4.0
                guess[3 * p + 2] = 1
            category = 2 if r.below(5) == 0 else 1
            dets.append(dict(image_id=image, category_id=category, keypoints=guess,
                             score=r.below(101) / 100.0))
    return images, gts, dets, [1, 2]


def coco_stats(iou_type, images, gts, dets, categories):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    results = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for scope in ("all_images", "gt_images"):
            gt = COCO()
            anns = [dict(g, id=n + 1) for n, g in enumerate(gts)]
            gt.dataset = dict(images=[i if isinstance(i, dict) else dict(id=i) for i in images], categories=[dict(id=c) for c in categories],
                              annotations=anns)
            gt.createIndex()
            if dets:
                dt = gt.loadRes([dict(d) for d in dets])
            else:
                dt = COCO()
                dt.dataset = dict(images=gt.dataset['images'], categories=gt.dataset['categories'], annotations=[])
                dt.createIndex()
            evaluation = COCOeval(gt, dt, iou_type)
            if scope == "gt_images":
                evaluation.params.imgIds = sorted({g['image_id'] for g in gts})
            evaluation.evaluate()
            evaluation.accumulate()
            evaluation.summarize()
            results[scope] = [float(v) for v in evaluation.stats]
    return results


# ---------------------------------------------------------------- captions (CaptionCorpusGenerator)

VOCABULARY = ["a", "the", "man", "dog", "on", "of", "riding", "wave", "red", "sitting", "table", "with"]


def caption_corpus(seed):
    r = SplitMix64(seed)

    def words(length):
        return [VOCABULARY[r.below(len(VOCABULARY))] for _ in range(length)]

    references, candidates = {}, {}
    for i in range(3 + r.below(28)):
        image = 40 + 11 * i
        count = 1 + r.below(5)
        refs = [words(1 + r.below(14)) for _ in range(count)]
        kind = r.below(8)
        if kind == 0:
            candidate = []
        elif kind == 1:
            candidate = words(1 + r.below(14))
        else:
            candidate = []
            for word in refs[r.below(count)]:
                edit = r.below(10)
                if edit == 0:
                    continue
                candidate.append(VOCABULARY[r.below(len(VOCABULARY))] if edit == 1 else word)
                if edit == 2:
                    candidate.append(word)
        references[image] = [" ".join(ref) for ref in refs]
        candidates[image] = [" ".join(candidate)]
    return references, candidates


def caption_scores(seed):
    from pycocoevalcap.bleu.bleu import Bleu
    from pycocoevalcap.cider.cider import Cider

    references, candidates = caption_corpus(seed)
    with contextlib.redirect_stdout(io.StringIO()):
        bleu, _ = Bleu(4).compute_score(references, candidates, verbose=0)
        cider, per_image = Cider().compute_score(references, candidates)
    return dict(bleu=[float(b) for b in bleu], cider=float(cider),
                cider_by_image={str(k): float(v) for k, v in zip(references.keys(), per_image)})


def main():
    kind, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for seed in range(first, last + 1):
        if kind == "captions":
            out = caption_scores(seed)
        else:
            builder, iou_type = dict(boxes=(box_dataset, "bbox"), masks=(mask_dataset, "segm"),
                                     keypoints=(keypoint_dataset, "keypoints"))[kind]
            images, gts, dets, categories = builder(seed)
            out = coco_stats(iou_type, images, gts, dets, categories)
            out.update(groundTruths=len(gts), detections=len(dets))
        out["seed"] = seed
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
