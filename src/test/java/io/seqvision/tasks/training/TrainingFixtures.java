package io.seqvision.tasks.training;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny configs and an in-memory dataset whose images show their objects as bright rectangles:
 * class 0 ("square") in the red plane, class 1 ("person") in the green plane with 17 keypoints on
 * a grid inside its box; every object's mask is its rectangle; captions name the objects.
 */
public final class TrainingFixtures {

    private TrainingFixtures() {}

    /** Detection only. */
    public static SeqVisionConfig tinyConfig(Path outputDir, int steps, double dropout) {
        return tinyConfig(outputDir, steps, dropout, "");
    }

    /** Detection, then what the YAML {@code extra} changes (laid over it, see ConfigLoader.overlay). */
    public static SeqVisionConfig tinyConfig(Path outputDir, int steps, double dropout, String extra) {
        String yaml = """
                name: tiny
                seed: 3
                output_dir: %s
                model:
                  encoder: convnext-tiny
                  image_size: 64
                  decoder: {width: 32, layers: 1, heads: 2, mlp_dim: 64, dropout: %s}
                tokenizer: {coord_bins: 32, max_objects: 3}
                training:
                  batch_size: 4
                  steps: %d
                  learning_rate: 0.003
                  warmup_steps: 2
                  checkpoint_every: 3
                  log_every: 5
                eval: {batch_size: 4}
                """.formatted(outputDir.toString().replace("\\", "/"), dropout, steps);
        return ConfigLoader.overlay("tiny-test-config", yaml, extra);
    }

    /** All four tasks, mixed equally; the shipped shapes caption tokenizer. */
    public static SeqVisionConfig multiTaskConfig(Path outputDir, int steps, double dropout) {
        return multiTaskConfig(outputDir, steps, dropout, "");
    }

    /** All four tasks, then what the YAML {@code extra} changes. */
    public static SeqVisionConfig multiTaskConfig(Path outputDir, int steps, double dropout, String extra) {
        return ConfigLoader.overlay("multi-task-test-config", ConfigLoader.toYaml(tinyConfig(outputDir, steps, dropout)),
                """
                tasks:
                  segmentation: {weight: 1.0, max_points: 8}
                  keypoints: {weight: 1.0}
                  captioning: {weight: 1.0, max_tokens: 8}
                """, extra);
    }

    public static MultiTaskDataset syntheticDataset(int images, long seed) {
        int side = 64;
        Random random = new Random(seed);
        List<MultiTaskExample> examples = new ArrayList<>();
        String[] names = {"square", "person"};
        for (int n = 0; n < images; n++) {
            byte[] pixels = new byte[3 * side * side];
            List<AnnotatedObject> objects = new ArrayList<>();
            int count = 1 + random.nextInt(2);
            StringBuilder caption = new StringBuilder();
            for (int o = 0; o < count; o++) {
                int cls = random.nextInt(2);
                int x0 = random.nextInt(side / 2);
                int y0 = random.nextInt(side / 2);
                int x1 = x0 + 8 + random.nextInt(side / 2 - 8);
                int y1 = y0 + 8 + random.nextInt(side / 2 - 8);
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        pixels[cls * side * side + y * side + x] = (byte) 255;
                    }
                }
                double l = x0 / (double) side;
                double t = y0 / (double) side;
                double r = x1 / (double) side;
                double b = y1 / (double) side;
                TokenBox box = new TokenBox(t, l, b, r, cls);
                List<NormalizedPolygon> mask = List.of(new NormalizedPolygon(new double[] {l, t, r, t, r, b, l, b}));
                List<Keypoint> keypoints = cls == 1 ? gridKeypoints(t, l, b, r) : List.of();
                objects.add(new AnnotatedObject(box, mask, keypoints, (x1 - x0) * (double) (y1 - y0)));
                caption.append(o == 0 ? "a " : " and a ").append(names[cls]);
            }
            examples.add(new MultiTaskExample(n + 1, side, side, pixels, objects, List.of(caption.toString())));
        }
        return new MultiTaskDataset(examples, List.of(names), List.of(1, 2));
    }

    private static List<Keypoint> gridKeypoints(double t, double l, double b, double r) {
        List<Keypoint> points = new ArrayList<>();
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            double fx = (k % 4 + 0.5) / 4;
            double fy = (k / 4 + 0.5) / 5;
            points.add(new Keypoint(l + fx * (r - l), t + fy * (b - t), 2));
        }
        return points;
    }
}
