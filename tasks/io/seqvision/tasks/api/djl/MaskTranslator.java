package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Mask;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tokenizers.BinaryMask;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL {@code Translator} from an image to {@link DetectedObjects} whose boxes are {@link Mask}s: per
 * detected object its class, score, box and mask, the mask a full-image one ({@code
 * isFullImageMask()}) rasterised from the predicted polygons at the model's input side, {@code
 * probDist[y][x]} 1 inside, 0 outside.
 */
public final class MaskTranslator extends SeqVisionTranslator<DetectedObjects> {

    public MaskTranslator() {
        super(TaskKind.SEGMENTATION);
    }

    @Override
    DetectedObjects read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices,
            List<double[]> keypoints, String caption) {
        int side = block.imageSize();
        List<String> names = new ArrayList<>(objects.size());
        List<Double> scores = new ArrayList<>(objects.size());
        List<BoundingBox> masks = new ArrayList<>(objects.size());
        for (int j = 0; j < objects.size(); j++) {
            double[] o = objects.get(j);
            BinaryMask raster = PolygonRasterizer.rasterize(polygons(vertices, j), side, side);
            float[][] dist = new float[side][side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    dist[y][x] = raster.get(x, y) ? 1f : 0f;
                }
            }
            names.add(block.classNames().get((int) o[4]));
            scores.add(o[5]);
            masks.add(new Mask(o[1], o[0], o[3] - o[1], o[2] - o[0], dist, true));
        }
        return new DetectedObjects(names, scores, masks);
    }

    /** The polygons of object {@code j}, from its vertex rows in order. */
    static List<NormalizedPolygon> polygons(List<double[]> vertices, int j) {
        List<NormalizedPolygon> polygons = new ArrayList<>();
        List<Double> xy = new ArrayList<>();
        int current = -1;
        for (double[] v : vertices) {
            if ((int) v[0] != j) {
                continue;
            }
            if ((int) v[1] != current && !xy.isEmpty()) {
                polygons.add(polygon(xy));
                xy.clear();
            }
            current = (int) v[1];
            xy.add(v[2]);
            xy.add(v[3]);
        }
        if (!xy.isEmpty()) {
            polygons.add(polygon(xy));
        }
        return polygons;
    }

    private static NormalizedPolygon polygon(List<Double> xy) {
        return new NormalizedPolygon(xy.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
