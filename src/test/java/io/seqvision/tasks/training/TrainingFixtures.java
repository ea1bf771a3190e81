package io.seqvision.tasks.training;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.DetectionDataset;
import io.seqvision.tasks.data.DetectionExample;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A tiny config and an in-memory dataset whose images show their boxes as bright rectangles. */
public final class TrainingFixtures {

    private TrainingFixtures() {}

    public static SeqVisionConfig tinyConfig(Path outputDir, int steps, double dropout) {
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
        return ConfigLoader.parse(yaml, "tiny-test-config");
    }

    public static DetectionDataset syntheticDataset(int images, long seed) {
        int side = 64;
        Random random = new Random(seed);
        List<DetectionExample> examples = new ArrayList<>();
        for (int n = 0; n < images; n++) {
            byte[] pixels = new byte[3 * side * side];
            List<TokenBox> boxes = new ArrayList<>();
            int objects = 1 + random.nextInt(2);
            for (int o = 0; o < objects; o++) {
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
                boxes.add(new TokenBox(y0 / (double) side, x0 / (double) side, y1 / (double) side,
                        x1 / (double) side, cls));
            }
            examples.add(new DetectionExample(n + 1, side, side, pixels, boxes));
        }
        return new DetectionDataset(examples, List.of("red", "green"), List.of(1, 2));
    }
}
