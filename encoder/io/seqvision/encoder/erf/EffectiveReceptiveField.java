package io.seqvision.encoder.erf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.engine.ConvolutionGradientCheck;
import io.seqvision.encoder.engine.Scalars;

/**
 * The effective receptive field as the RepLKNet, SLaK and PeLK papers draw it: for each image,
 * the gradient of the (ReLU'd, channel-summed) output at the centre of the feature map with
 * respect to the input, ReLU'd and summed over channels; the maps are summed over images.
 *
 * <p>Input: images {@code (B, 3, H, W)}; output: an {@code H x W} map, row-major. Arrays made here
 * are closed before returning; the encoder's parameters are left untouched (gradients on them are
 * not requested).
 */
public final class EffectiveReceptiveField {

    private final float[] map;
    private final int height;
    private final int width;
    private int images;

    public EffectiveReceptiveField(int height, int width) {
        this.height = height;
        this.width = width;
        this.map = new float[height * width];
    }

    /** Adds the contribution of a batch of images. */
    public EffectiveReceptiveField accumulate(Encoder encoder, NDArray batch) {
        if (batch.getShape().dimension() != 4 || batch.getShape().get(2) != height
                || batch.getShape().get(3) != width) {
            throw new IllegalArgumentException("images must have shape (B, 3, " + height + ", " + width
                    + "), got " + batch.getShape());
        }
        ConvolutionGradientCheck.requireCorrectInputGradients(batch.getDevice());
        try (NDManager scratch = batch.getManager().newSubManager()) {
            NDArray input = batch.duplicate();
            input.attach(scratch);
            input.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray features = encoder.forward(new ParameterStore(scratch, false), new NDList(input), false)
                        .singletonOrThrow();
                long h = features.getShape().get(2);
                long w = features.getShape().get(3);
                NDArray centre = features.get(new NDIndex(":, :, {}, {}", h / 2, w / 2));
                collector.backward(centre.getNDArrayInternal().relu().sum());
            }
            NDArray gradient = input.getGradient();
            gradient.attach(scratch);
            float[] contribution = Scalars.maximum(gradient, 0).sum(new int[] {1}).sum(new int[] {0}).toFloatArray();
            for (int i = 0; i < map.length; i++) {
                map[i] += contribution[i];
            }
        }
        images += (int) batch.getShape().get(0);
        return this;
    }

    /** The accumulated map, row-major {@code H x W}. */
    public float[] map() {
        return map.clone();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int images() {
        return images;
    }

    /**
     * The smallest square around the centre that holds {@code fraction} of the map's total: the
     * "area ratio" number the RepLKNet paper tabulates, as a side length in pixels.
     */
    public int sideHolding(double fraction) {
        double total = 0;
        for (float v : map) {
            total += v;
        }
        int cy = height / 2;
        int cx = width / 2;
        for (int half = 0; half <= Math.max(height, width); half++) {
            double inside = 0;
            for (int y = Math.max(0, cy - half); y <= Math.min(height - 1, cy + half); y++) {
                for (int x = Math.max(0, cx - half); x <= Math.min(width - 1, cx + half); x++) {
                    inside += map[y * width + x];
                }
            }
            if (inside >= fraction * total) {
                return 2 * half + 1;
            }
        }
        return Math.max(height, width);
    }
}
