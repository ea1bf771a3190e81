package io.seqvision.encoder.internimage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.encoder.engine.Scalars;

/**
 * The sampling core of DCNv3 ({@code dcnv3_core_pytorch} in OpenGVLab/InternImage {@code
 * classification/ops_dcnv3/functions/dcnv3_func.py}) for stride 1, dilation 1 and padding {@code
 * (K-1)/2}, built from differentiable engine ops: a gather of the four bilinear neighbours of every
 * sampling point and a weighted sum.
 *
 * <p>For output pixel {@code (i, j)}, group {@code g} and kernel point {@code p}, with {@code p = a
 * * K + b} ({@code a} indexes the x offset: the official grid is x-major), the sampling position in
 * input pixels is {@code x = j + s * (a - (K-1)/2 + dx)}, {@code y = i + s * (b - (K-1)/2 + dy)}
 * with {@code (dx, dy)} the predicted offset of that point and {@code s} the offset scale. The
 * official code pads the input with {@code (K-1)/2} zeros and samples with {@code
 * grid_sample(align_corners=False, padding_mode='zeros')} in the padded frame; that is exactly
 * bilinear interpolation in the unpadded frame with zeros outside the image, which is what this
 * computes. The output of group {@code g} is {@code sum_p mask[g, p] * sample_p} over the group's
 * channels.
 *
 * <p>Memory: the gathered neighbours hold {@code 4 K^2} values per input value (36 for K = 3), and
 * autograd keeps them for the backward pass; the official CUDA kernel needs no such buffer.
 */
public final class DeformableSampling {

    private DeformableSampling() {}

    /**
     * Samples {@code value (B, H, W, C)} at the deformed grid.
     *
     * @param value the projected input, channels-last; C divisible by {@code groups}
     * @param offset {@code (B, H, W, G * K * K * 2)}: per group and point {@code (dx, dy)} in
     *     pixels, laid out as {@code ((g * K*K + p) * 2 + {0: x, 1: y})}
     * @param mask {@code (B, H, W, G * K * K)}: the modulation of point {@code p} of group {@code
     *     g} at index {@code g * K*K + p} (already softmax-normalised by the caller)
     * @param kernel the odd kernel size K
     * @param groups G
     * @param offsetScale s
     * @return {@code (B, H, W, C)}
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static NDArray sample(
            NDArray value,
            NDArray offset,
            NDArray mask,
            int kernel,
            int groups,
            float offsetScale) {
        Shape shape = value.getShape();
        int points = kernel * kernel;
        checkShapes(shape, offset.getShape(), mask.getShape(), kernel, groups);
        long b = shape.get(0);
        long h = shape.get(1);
        long w = shape.get(2);
        long c = shape.get(3);
        long groupChannels = c / groups;
        NDManager manager = value.getManager();

        NDArray offsets = offset.reshape(b, h, w, groups, points, 2);
        NDArray x =
                Scalars.mul(offsets.get("..., 0"), offsetScale)
                        .add(basePositions(manager, h, w, kernel, offsetScale, true));
        NDArray y =
                Scalars.mul(offsets.get("..., 1"), offsetScale)
                        .add(basePositions(manager, h, w, kernel, offsetScale, false));
        NDArray modulation = mask.reshape(b, h, w, groups, points);

        NDArray x0 = x.floor();
        NDArray y0 = y.floor();
        NDArray fx = x.sub(x0);
        NDArray fy = y.sub(y0);
        // the batch and group parts of the row index into value viewed as (B*H*W*G, C/G)
        NDArray batchRows =
                Scalars.mul(manager.arange(0, (int) b, 1, DataType.INT64), h * w * groups)
                        .reshape(b, 1, 1, 1, 1);
        NDArray groupRows =
                manager.arange(0, groups, 1, DataType.INT64).reshape(1, 1, 1, groups, 1);
        NDArray base = batchRows.add(groupRows);

        NDList indices = new NDList();
        NDList weights = new NDList();
        for (int corner = 0; corner < 4; corner++) {
            boolean down = corner >= 2;
            boolean right = corner % 2 == 1;
            NDArray cornerY = down ? y0.add(1) : y0;
            NDArray cornerX = right ? x0.add(1) : x0;
            NDArray weightY = down ? fy : fy.neg().add(1);
            NDArray weightX = right ? fx : fx.neg().add(1);
            NDArray inside =
                    cornerY.gte(0)
                            .logicalAnd(cornerY.lte(h - 1))
                            .logicalAnd(cornerX.gte(0))
                            .logicalAnd(cornerX.lte(w - 1))
                            .toType(value.getDataType(), false);
            weights.add(weightY.mul(weightX).mul(inside).mul(modulation));
            NDArray row = Scalars.mul(cornerY.clip(0, h - 1).toType(DataType.INT64, false), w);
            row = Scalars.mul(row.add(cornerX.clip(0, w - 1).toType(DataType.INT64, false)), groups);
            indices.add(row.add(base));
        }
        NDArray index = NDArrays.concat(indices, 4);
        NDArray weight = NDArrays.concat(weights, 4);
        NDArray rows = value.reshape(b * h * w * groups, groupChannels);
        NDArray gathered = rows.get(new NDIndex("{}", index));
        NDArray summed = gathered.mul(weight.expandDims(5)).sum(new int[] {4});
        return summed.reshape(b, h, w, c);
    }

    /**
     * The undeformed sampling positions {@code (1, H, W, 1, K*K)} along x (or y): {@code j + s * (a
     * - (K-1)/2)} for x, {@code i + s * (b - (K-1)/2)} for y, with point {@code p = a * K + b}.
     */
    private static NDArray basePositions(
            NDManager manager, long h, long w, int kernel, float offsetScale, boolean alongX) {
        int points = kernel * kernel;
        int half = (kernel - 1) / 2;
        float[] positions = new float[Math.toIntExact(h * w * points)];
        int n = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int p = 0; p < points; p++) {
                    int step = alongX ? p / kernel - half : p % kernel - half;
                    positions[n++] = (alongX ? j : i) + offsetScale * step;
                }
            }
        }
        return manager.create(positions, new Shape(1, h, w, 1, points));
    }

    private static void checkShapes(Shape value, Shape offset, Shape mask, int kernel, int groups) {
        int points = kernel * kernel;
        boolean ok =
                kernel > 0
                        && kernel % 2 == 1
                        && groups > 0
                        && value.dimension() == 4
                        && value.get(3) % groups == 0
                        && offset.equals(
                                new Shape(
                                        value.get(0),
                                        value.get(1),
                                        value.get(2),
                                        (long) groups * points * 2))
                        && mask.equals(
                                new Shape(
                                        value.get(0),
                                        value.get(1),
                                        value.get(2),
                                        (long) groups * points));
        if (!ok) {
            throw new IllegalArgumentException(
                    "deformable sampling with kernel "
                            + kernel
                            + " and "
                            + groups
                            + " groups needs value (B, H, W, C) with C divisible by the groups,"
                            + " offset (B, H, W, G*K*K*2) and mask (B, H, W, G*K*K); got value "
                            + value
                            + ", offset "
                            + offset
                            + ", mask "
                            + mask);
        }
    }
}
