package io.seqvision.encoder.replknet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

import io.seqvision.encoder.common.ConvBatchNorm;

/** The official code's {@code conv_bn}, {@code conv_bn_relu} and {@code get_bn} for RepLKNet. */
final class Layers {

    private Layers() {}

    /**
     * A bias-free {@code k x k} conv with padding {@code k/2}, then BatchNorm, then ReLU if asked.
     */
    static ConvBatchNorm convBn(int filters, int kernel, int stride, int groups, boolean relu) {
        Conv2d conv =
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(kernel / 2, kernel / 2))
                        .optGroups(groups)
                        .optBias(false)
                        .build();
        return ConvBatchNorm.builder().setConv(conv).optRelu(relu).build();
    }

    /** PyTorch's BatchNorm2d defaults: eps 1e-5, momentum 0.1 (DJL's 0.9). */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().optEpsilon(ConvBatchNorm.BATCH_NORM_EPS).build();
    }
}
