package io.seqvision.tasks.study;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.hornet.GlobalLocalFilter;
import io.seqvision.encoder.internimage.DCNv3;
import io.seqvision.encoder.pelk.PartialPeripheralConv;

/**
 * The size and arithmetic of one model at its config's image size: parameters, and multiply-adds
 * (MACs) per image counted analytically, not timed.
 *
 * <p>Encoder, walked block by block over the shapes the model was initialised with (batch 1, the
 * config's image side): a convolution costs {@code numel(weight) x H_out x W_out} (dense, grouped
 * and depthwise alike; DJL {@code Conv2d} and seqvision's {@code DepthwiseConv}, counted as a
 * direct convolution even where the FFT path computes it); a linear layer {@code in x out} per
 * token; PeLK's peripheral convolution as the dense {@code K x K} depthwise kernel it generates;
 * InternImage's DCNv3 {@code K^2 x C} per position for the modulated sum of sampled values
 * (bilinear interpolation not counted); HorNet's global filter {@code 4} real MACs per complex
 * product in the frequency domain (the FFTs not counted). Any other block owning a 4-D {@code
 * weight} is counted as a convolution at its output size. Norms, activations, additions and biases
 * are not counted.
 *
 * <p>Decoder, from its dimensions, for one teacher-forced pass over {@code L} tokens (the tasks'
 * longest sequence) against {@code N} memory tokens: the memory projection {@code N C d}; per
 * layer self-attention projections {@code 4 L d^2} and scores with weighted sum {@code 2 L^2 d},
 * cross-attention query and output {@code 2 L d^2}, keys and values {@code 2 N d^2}, scores with
 * weighted sum {@code 2 L N d}, MLP {@code 2 L d m}; output logits {@code L d V}.
 *
 * @param encoderParameters scalars in the encoder
 * @param totalParameters   scalars in the whole model (encoder, memory projection, decoder)
 * @param encoderMacs       multiply-adds of the encoder per image
 * @param decoderMacs       multiply-adds of the decoder per image, one pass of the longest sequence
 */
public record ModelCost(long encoderParameters, long totalParameters, long encoderMacs, long decoderMacs) {

    /** Encoder and decoder multiply-adds per image. */
    public long totalMacs() {
        return encoderMacs + decoderMacs;
    }

    /** The cost of an initialised model whose encoder reads {@code imageSize}-pixel squares. */
    public static ModelCost of(EncoderDecoderModel model, int imageSize) {
        long encoderParameters = parameters(model.encoder());
        long total = parameters(model);
        long encoderMacs = macs(model.encoder());
        var d = model.decoder();
        long side = imageSize / model.encoder().outputStride();
        long n = side * side;
        long c = model.encoder().outputChannels();
        long width = d.width();
        long length = d.maxLength();
        long decoderMacs = n * c * width
                + d.layers().size() * (4 * length * width * width + 2 * length * length * width
                        + 2 * length * width * width + 2 * n * width * width + 2 * length * n * width
                        + 2 * length * width * d.mlpDim())
                + length * width * d.vocabSize();
        return new ModelCost(encoderParameters, total, encoderMacs, decoderMacs);
    }

    /** Scalars in a block's parameters (initialised). */
    public static long parameters(Block block) {
        long count = 0;
        for (Parameter p : block.getParameters().values()) {
            count += p.getArray().getShape().size();
        }
        return count;
    }

    /** Multiply-adds of one forward pass of an initialised block at the shapes it was initialised with. */
    public static long macs(Block block) {
        if (block instanceof Conv2d || block instanceof DepthwiseConv) {
            return weightSize(block) * spatial(output(block));
        }
        if (block instanceof Linear) {
            Shape in = block.getInputShapes()[0];
            long features = in.get(in.dimension() - 1);
            return weightSize(block) * (in.size() / features);
        }
        long own = 0;
        if (block instanceof PartialPeripheralConv peripheral) {
            long k = peripheral.getGrid().getKernelSize();
            own = peripheral.getConvChannels() * k * k * spatial(output(block));
        } else if (block instanceof DCNv3 dcn) {
            Shape in = block.getInputShapes()[0];
            long points = (long) dcn.getKernelSize() * dcn.getKernelSize();
            own = points * in.size();
        } else if (block instanceof GlobalLocalFilter filter) {
            long half = filter.getChannels() / 2;
            Shape out = output(block);
            long h = out.get(out.dimension() - 2);
            long w = out.get(out.dimension() - 1);
            own = 4 * half * h * (w / 2 + 1);
        } else {
            for (Parameter p : block.getDirectParameters().values()) {
                if (p.getName().equals("weight") && p.getArray().getShape().dimension() == 4) {
                    own += p.getArray().getShape().size() * spatial(output(block));
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            own += macs(child);
        }
        return own;
    }

    private static long weightSize(Block block) {
        Parameter weight = block.getDirectParameters().get("weight");
        return weight.getArray().getShape().size();
    }

    private static Shape output(Block block) {
        return block.getOutputShapes(block.getInputShapes())[0];
    }

    /** {@code H x W} of a channels-first {@code (B, C, H, W)} shape. */
    private static long spatial(Shape shape) {
        return shape.get(shape.dimension() - 2) * shape.get(shape.dimension() - 1);
    }
}
