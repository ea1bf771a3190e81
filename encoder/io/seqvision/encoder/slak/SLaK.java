package io.seqvision.encoder.slak;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.TrainingHook;
import io.seqvision.encoder.checkpoint.RenameTable;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.MixerBlock;
import io.seqvision.encoder.common.StagedEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLaK (Liu et al., "More ConvNets in the 2020s: Scaling up Kernels Beyond 51x51 using Sparsity",
 * arXiv 2207.03620) as a seqvision {@link Encoder}, following VITA-Group/SLaK {@code
 * models/SLaK.py}: the {@link StagedEncoder} layout with {@link MixerBlock}s whose mixer ({@code
 * large_kernel}) is a {@link DecomposedKernelConv} ({@code M x N + N x M + N x N} depthwise
 * branches), stage widths {@code int(dim * widthFactor)}, and {@link DynamicSparsity} for
 * training.
 *
 * <p>Input {@code (B, 3, H, W)}, output {@code (B, widths[last], H/s, W/s)}; see {@link
 * StagedEncoder} for the layout, heads and init.
 */
public final class SLaK extends StagedEncoder {

    /** What {@link #dynamicSparsity} masks. */
    public enum SparsityScope {
        /** The two rectangular branches of every block's decomposed kernel. */
        LARGE_KERNELS,
        /** Every weight of rank 2 or 4 (convs, linears, head): the official SLaK setting. */
        ALL_WEIGHTS
    }

    private final int[] kernels;
    private final int smallKernelSize;
    private final DepthwiseConv.Path path;

    private SLaK(Builder builder) {
        super("SLaK", builder);
        kernels = builder.kernels.clone();
        smallKernelSize = builder.smallKernelSize;
        path = builder.path;
        buildLayers();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int[] getKernels() {
        return kernels.clone();
    }

    public int getSmallKernelSize() {
        return smallKernelSize;
    }

    /** The blocks of all stages in order. */
    public List<MixerBlock<DecomposedKernelConv>> getBlocks() {
        return stageBlocksAs();
    }

    @Override
    protected List<Block> stageBlocks(int stage, float[] dropPathRates) {
        int channels = getDims()[stage];
        List<Block> blocks = new ArrayList<>();
        for (float rate : dropPathRates) {
            DecomposedKernelConv largeKernel = DecomposedKernelConv.builder()
                    .setChannels(channels)
                    .setKernelSize(kernels[stage])
                    .optSmallKernelSize(smallKernelSize)
                    .optPath(path)
                    .build();
            blocks.add(MixerBlock.<DecomposedKernelConv>builder()
                    .setChannels(channels)
                    .setMixer("large_kernel", largeKernel)
                    .optDropPathRate(rate)
                    .optLayerScaleInit(getLayerScaleInit())
                    .build());
        }
        return blocks;
    }

    @Override
    protected String describeMixers() {
        return "kernels " + Arrays.toString(kernels) + ", N " + smallKernelSize;
    }

    @Override
    public RenameTable checkpointNames() {
        return SLaKWeights.NAMES;
    }

    /** SLaK trains with dynamic sparsity: its default options over the rectangular kernels. */
    @Override
    public List<TrainingHook> trainingHooks(long totalSteps) {
        return List.of(dynamicSparsity(DynamicSparsity.Options.builder().setTotalSteps(totalSteps).build()));
    }

    /**
     * Dynamic sparsity over the two rectangular kernels of every block (the brief's default). The
     * model must be initialised; the masks are drawn and applied at once.
     */
    public DynamicSparsity dynamicSparsity(DynamicSparsity.Options options) {
        return dynamicSparsity(options, SparsityScope.LARGE_KERNELS);
    }

    /**
     * Dynamic sparsity over the weights {@code scope} names, keyed by official name. The model
     * must be initialised; the masks are drawn and applied at once.
     */
    public DynamicSparsity dynamicSparsity(DynamicSparsity.Options options, SparsityScope scope) {
        Map<String, Parameter> masked = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : officialParameters().entrySet()) {
            String name = entry.getKey();
            int rank = entry.getValue().getArray().getShape().dimension();
            boolean take =
                    scope == SparsityScope.ALL_WEIGHTS
                            ? rank == 2 || rank == 4
                            : name.contains(".large_kernel.Decom") && name.endsWith(".conv.weight");
            if (take) {
                masked.put(name, entry.getValue());
            }
        }
        return DynamicSparsity.create(masked, options);
    }

    /** {@code int(d * factor)} per stage, as the official code widens the stages. */
    static int[] scaledDims(int[] dims, double factor) {
        int[] scaled = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            scaled[i] = (int) (dims[i] * factor);
        }
        return scaled;
    }

    /**
     * Builds a {@link SLaK}: the {@link StagedEncoder.Builder} settings (dims are the base widths,
     * before the width factor) and, required, {@link #setKernels}. Defaults: width factor 1, N = 5,
     * {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder extends StagedEncoder.Builder<Builder> {
        private int[] kernels;
        private double widthFactor = 1.0;
        private int smallKernelSize = 5;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The long side M of each stage's decomposed kernels (odd). */
        public Builder setKernels(int... kernels) {
            this.kernels = kernels.clone();
            return this;
        }

        /** Stage widths become {@code int(dim * factor)}; SLaK uses 1.3. */
        public Builder optWidthFactor(double widthFactor) {
            this.widthFactor = widthFactor;
            return this;
        }

        /** N: the short side of the rectangular kernels and the small square kernel (odd). */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        @Override
        protected int[] stageWidths() {
            return scaledDims(dims(), widthFactor);
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SLaK build() {
            if (kernels == null) {
                throw new IllegalArgumentException("SLaK needs kernels (setKernels)");
            }
            validate("SLaK", "kernel", kernels);
            if (!(widthFactor > 0) || Double.isInfinite(widthFactor)) {
                throw new IllegalArgumentException("SLaK width factor must be positive, got " + widthFactor);
            }
            int[] widths = stageWidths();
            for (int i = 0; i < stages(); i++) {
                if (widths[i] <= 0) {
                    throw new IllegalArgumentException("SLaK stage " + i + " needs a positive width, got " + widths[i]);
                }
                if (kernels[i] <= 0 || kernels[i] % 2 == 0) {
                    throw new IllegalArgumentException(
                            "SLaK stage " + i + " kernel must be odd and positive, got " + kernels[i]);
                }
            }
            if (smallKernelSize <= 0 || smallKernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "SLaK small kernel N must be odd and positive, got " + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("SLaK needs a depthwise path, got null");
            }
            return new SLaK(this);
        }
    }
}
