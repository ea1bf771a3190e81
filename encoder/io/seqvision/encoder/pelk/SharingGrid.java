package io.seqvision.encoder.pelk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * PeLK's exponentially-increasing sharing grid (Chen et al., arXiv 2403.07589, section 3): how a
 * dense {@code K x K} kernel is generated from a {@code K' x K'} parameter kernel. One grid of cell
 * sizes {@code S} (summing to K) is used on both axes; parameter {@code (a, b)} fills the block of
 * {@code S[a]} rows by {@code S[b]} columns.
 *
 * <p>Along an axis, from the centre outwards: the centre position, then {@code r = (centre-1)/2}
 * single positions on each side (the fine-grained centre: {@code centre x centre} positions keep
 * their own parameter), then cells of 2, 4, 8, ... positions while they fit within the half-width
 * {@code (K-1)/2}, then, if positions remain, one outer cell holding all of them. For example K =
 * 51 with a 5x5 centre gives, outer to centre, {@code 9, 8, 4, 2, 1, 1} on each side of the centre
 * position, so {@code K' = 13}; K = 13 gives {@code 2, 2, 1, 1}, {@code K' = 9}; K = 101 with a 7x7
 * centre gives {@code 17, 16, 8, 4, 2, 1, 1, 1}, {@code K' = 17}.
 */
public final class SharingGrid {

    private final int kernelSize;
    private final int centreSize;
    private final int[] cellSizes;
    private final int[] cellOfPosition;

    private SharingGrid(int kernelSize, int centreSize) {
        this.kernelSize = kernelSize;
        this.centreSize = centreSize;
        int side = (kernelSize - 1) / 2;
        int fine = Math.min((centreSize - 1) / 2, side);
        List<Integer> outwards = new ArrayList<>(Collections.nCopies(fine, 1));
        int covered = fine;
        for (int block = 2; covered + block <= side; block *= 2) {
            outwards.add(block);
            covered += block;
        }
        if (covered < side) {
            outwards.add(side - covered);
        }
        int cells = 2 * outwards.size() + 1;
        cellSizes = new int[cells];
        for (int i = 0; i < outwards.size(); i++) {
            cellSizes[outwards.size() - 1 - i] = outwards.get(i);
            cellSizes[outwards.size() + 1 + i] = outwards.get(i);
        }
        cellSizes[outwards.size()] = 1;
        cellOfPosition = new int[kernelSize];
        int position = 0;
        for (int cell = 0; cell < cells; cell++) {
            for (int k = 0; k < cellSizes[cell]; k++) {
                cellOfPosition[position++] = cell;
            }
        }
    }

    /**
     * The grid for a {@code kernelSize x kernelSize} kernel with a fine-grained {@code centreSize x
     * centreSize} centre (both odd; a centre at least as large as the kernel gives a plain dense
     * kernel).
     *
     * @throws IllegalArgumentException if either size is not odd and positive
     */
    public static SharingGrid of(int kernelSize, int centreSize) {
        if (kernelSize <= 0 || kernelSize % 2 == 0 || centreSize <= 0 || centreSize % 2 == 0) {
            throw new IllegalArgumentException(
                    "peripheral kernel and centre sizes must be odd and positive, got kernel "
                            + kernelSize
                            + " and centre "
                            + centreSize);
        }
        return new SharingGrid(kernelSize, centreSize);
    }

    public int getKernelSize() {
        return kernelSize;
    }

    public int getCentreSize() {
        return centreSize;
    }

    /** K', the parameter kernel's side. */
    public int getParameterSize() {
        return cellSizes.length;
    }

    /** The cell sizes S along an axis, from one outer edge to the other; they sum to K. */
    public int[] getCellSizes() {
        return cellSizes.clone();
    }

    /** For each of the K positions along an axis, the index of its cell (0 .. K'-1). */
    public int[] getCellOfPosition() {
        return cellOfPosition.clone();
    }

    /**
     * The dense kernel: {@code parameters (C, 1, K', K')} expanded to {@code (C, 1, K, K)} with
     * {@code dense[c, 0, u, v] = parameters[c, 0, cell(u), cell(v)]}. A gather, so gradients sum
     * over each cell's positions.
     *
     * @throws IllegalArgumentException if the parameters do not have the grid's size
     */
    public NDArray expand(NDArray parameters) {
        return expand(parameters, null);
    }

    /**
     * As {@link #expand(NDArray)}, with the result and its intermediates owned by {@code target}
     * (the forward pass's manager).
     */
    public NDArray expand(NDArray parameters, NDManager target) {
        Shape shape = parameters.getShape();
        int cells = cellSizes.length;
        if (shape.dimension() != 4
                || shape.get(1) != 1
                || shape.get(2) != cells
                || shape.get(3) != cells) {
            throw new IllegalArgumentException(
                    "a "
                            + kernelSize
                            + "x"
                            + kernelSize
                            + " sharing grid expands parameters (C, 1, "
                            + cells
                            + ", "
                            + cells
                            + "), got "
                            + shape);
        }
        long[] flat = new long[kernelSize * kernelSize];
        for (int u = 0; u < kernelSize; u++) {
            for (int v = 0; v < kernelSize; v++) {
                flat[u * kernelSize + v] = (long) cellOfPosition[u] * cells + cellOfPosition[v];
            }
        }
        NDManager manager = target == null ? parameters.getManager() : target;
        NDArray index = manager.create(flat);
        long channels = shape.get(0);
        // every intermediate goes to the caller's manager: on the parameters' one they would
        // pile up with each forward pass
        NDArray flatParameters = parameters.reshape(channels, (long) cells * cells);
        flatParameters.attach(manager);
        NDArray picked = flatParameters.get(new NDIndex(":, {}", index));
        picked.attach(manager);
        NDArray kernel = picked.reshape(channels, 1, kernelSize, kernelSize);
        kernel.attach(manager);
        return kernel;
    }

    @Override
    public String toString() {
        return kernelSize + "x" + kernelSize + " from " + Arrays.toString(cellSizes);
    }
}
