package io.seqvision.tasks.training;

import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * Per-cell targets for the auxiliary objectness loss: on the encoder's {@code grid x grid}
 * feature map, each cell is labelled with the class of the smallest box that contains its centre,
 * or with {@code numClasses} (background) when none does.
 *
 * <p>Why: Pix2Seq starts from an ImageNet-pretrained backbone; trained from scratch, on a CPU
 * budget, the encoder gets its only signal through cross-attention that starts out uniform, and
 * the decoder learns sequence statistics while ignoring the image for thousands of steps
 * (measured on shapes: predictions identical across images at step 800). A dense loss on the
 * encoder's features teaches it where objects are from the first step, which the decoder's
 * attention can then find. It is a training aid only: the head is dropped from the saved model.
 */
public final class ObjectnessTargets {

    private ObjectnessTargets() {}

    /** Labels of one image's cells, row-major, written into {@code out} at {@code offset}. */
    public static void label(List<TokenBox> boxes, int grid, int numClasses, long[] out, int offset) {
        for (int row = 0; row < grid; row++) {
            double y = (row + 0.5) / grid;
            for (int column = 0; column < grid; column++) {
                double x = (column + 0.5) / grid;
                int label = numClasses;
                double smallest = Double.POSITIVE_INFINITY;
                for (TokenBox box : boxes) {
                    if (y >= box.ymin() && y <= box.ymax() && x >= box.xmin() && x <= box.xmax()) {
                        double area = (box.ymax() - box.ymin()) * (box.xmax() - box.xmin());
                        if (area < smallest) {
                            smallest = area;
                            label = box.classIndex();
                        }
                    }
                }
                out[offset + row * grid + column] = label;
            }
        }
    }
}
