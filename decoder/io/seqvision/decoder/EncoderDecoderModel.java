package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.encoder.Encoder;

/**
 * The Pix2Seq network: an image {@link Encoder}, a bridge from its feature map to the decoder's
 * memory, and a {@link SequenceDecoder}.
 *
 * <p>Input: {@code NDList[images (B, 3, H, W) float, tokens (B, L) integer]}. Output: {@code
 * NDList[logits (B, L, V)]}.
 *
 * <p>The bridge flattens the encoder's {@code (B, C, h, w)} features to {@code (B, h*w, C)}
 * (row-major over the grid), projects them with a linear layer {@code C -> D}, applies a LayerNorm
 * over D and adds the fixed {@link PositionalEncoding2D} of the grid: memory {@code (B, h*w, D)}.
 * Parameters: the encoder's, the projection {@code (D, C)} with bias, the LayerNorm's, the
 * decoder's.
 *
 * <p>Initialise with {@code initialize(manager, FLOAT32, new Shape(B, 3, H, W), new Shape(B, L))}.
 */
public final class EncoderDecoderModel extends AbstractBlock {

    private final Encoder encoder;
    private final Linear memoryProjection;
    private final LayerNorm memoryNorm;
    private final SequenceDecoder decoder;
    private final PositionEncodingCache positionEncodings = new PositionEncodingCache();

    private EncoderDecoderModel(Builder builder) {
        encoder = addChildBlock("encoder", builder.encoder);
        memoryProjection = addChildBlock("memoryProjection", DecoderParts.linear(builder.decoder.width()));
        memoryNorm = addChildBlock("memoryNorm", DecoderParts.layerNormOverLastAxisOf3d());
        decoder = addChildBlock("decoder", builder.decoder);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Encoder encoder() {
        return encoder;
    }

    public SequenceDecoder decoder() {
        return decoder;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "EncoderDecoderModel expects NDList[images, tokens], got " + inputs.size() + " arrays");
        }
        NDArray memory = encode(parameterStore, inputs.get(0), training);
        return new NDList(decode(parameterStore, inputs.get(1), memory, training));
    }

    /**
     * Runs the encoder and the bridge.
     *
     * @param images {@code (B, 3, H, W)} float
     * @return memory {@code (B, h*w, D)}
     */
    public NDArray encode(ParameterStore parameterStore, NDArray images, boolean training) {
        Shape imageShape = images.getShape();
        if (imageShape.dimension() != 4 || imageShape.get(1) != 3) {
            throw new IllegalArgumentException("images must have shape (B, 3, H, W), got " + imageShape);
        }
        NDArray features =
                encoder.forward(parameterStore, new NDList(images), training).singletonOrThrow();
        Shape shape = features.getShape();
        if (shape.dimension() != 4 || shape.get(1) != encoder.outputChannels()) {
            throw new IllegalStateException(
                    "encoder "
                            + encoder.getClass().getSimpleName()
                            + " should return (B, "
                            + encoder.outputChannels()
                            + ", h, w), returned "
                            + shape);
        }
        long batch = shape.get(0);
        int gridHeight = (int) shape.get(2);
        int gridWidth = (int) shape.get(3);
        NDArray flat = features.reshape(batch, shape.get(1), (long) gridHeight * gridWidth).transpose(0, 2, 1);
        NDArray projected =
                memoryProjection.forward(parameterStore, new NDList(flat), training).singletonOrThrow();
        NDArray normed = memoryNorm.forward(parameterStore, new NDList(projected), training).singletonOrThrow();
        NDManager owner = memoryNorm.getParameters().valueAt(0).getArray().getManager();
        NDArray positions = positionEncodings.get(
                owner, gridHeight, gridWidth, decoder.width(), normed.getDevice(), normed.getDataType());
        return normed.add(positions);
    }

    /**
     * Runs the decoder on a memory from {@link #encode}.
     *
     * @param tokens {@code (B, L)} integer, {@code L <= decoder().maxLength()}
     * @param memory {@code (B, N, D)}
     * @return logits {@code (B, L, V)}
     */
    public NDArray decode(
            ParameterStore parameterStore, NDArray tokens, NDArray memory, boolean training) {
        return decoder.forward(parameterStore, new NDList(tokens, memory), training).singletonOrThrow();
    }

    /**
     * Starts incremental decoding over a memory from {@link #encode}; see {@link
     * SequenceDecoder#newCache}. Close the returned cache when generation ends.
     *
     * @param memory {@code (B, N, D)}
     * @param manager the cache's arrays live in a sub-manager of it
     */
    public KeyValueCache newCache(ParameterStore parameterStore, NDArray memory, NDManager manager) {
        return decoder.newCache(parameterStore, memory, manager);
    }

    /**
     * Logits for new tokens after the positions in {@code cache}; see {@link SequenceDecoder#step}.
     *
     * @param tokens {@code (B, n)} integer
     * @return logits {@code (B, n, V)}, equal to the last {@code n} positions of {@link #decode}
     *     over the whole sequence
     */
    public NDArray decodeStep(ParameterStore parameterStore, NDArray tokens, KeyValueCache cache) {
        return decoder.step(parameterStore, tokens, cache);
    }

    /** A cache for continuous batching, with no rows yet; see {@link SequenceDecoder#newBatchingCache}. */
    public BatchingKeyValueCache newBatchingCache(NDManager manager) {
        return decoder.newBatchingCache(manager);
    }

    /**
     * Adds one row per memory row to a batching cache; see {@link SequenceDecoder#addRows}.
     *
     * @param memory {@code (B, N, D)} from {@link #encode}
     */
    public void addRows(ParameterStore parameterStore, NDArray memory, BatchingKeyValueCache cache) {
        decoder.addRows(parameterStore, memory, cache);
    }

    /**
     * One token for every row of a batching cache; see {@link SequenceDecoder#stepRows}.
     *
     * @param tokens {@code (R, 1)} integer
     * @return logits {@code (R, 1, V)}
     */
    public NDArray decodeRows(ParameterStore parameterStore, NDArray tokens, BatchingKeyValueCache cache) {
        return decoder.stepRows(parameterStore, tokens, cache);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return decoder.getOutputShapes(new Shape[] {inputShapes[1], memoryShape(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException(
                    "EncoderDecoderModel is initialised with shapes (images (B, 3, H, W), tokens (B, L)), got "
                            + inputShapes.length
                            + " shapes");
        }
        Shape images = inputShapes[0];
        encoder.initialize(manager, dataType, images);
        Shape features = encoder.getOutputShapes(new Shape[] {images})[0];
        Shape flat = new Shape(features.get(0), features.get(2) * features.get(3), features.get(1));
        memoryProjection.initialize(manager, dataType, flat);
        Shape memory = memoryShape(images);
        memoryNorm.initialize(manager, dataType, memory);
        decoder.initialize(manager, dataType, inputShapes[1], memory);
    }

    private Shape memoryShape(Shape images) {
        Shape features = encoder.getOutputShapes(new Shape[] {images})[0];
        return new Shape(features.get(0), features.get(2) * features.get(3), decoder.width());
    }

    /** Builder: both {@code setEncoder} and {@code setDecoder} are required. */
    public static final class Builder {
        private Encoder encoder;
        private SequenceDecoder decoder;

        private Builder() {}

        public Builder setEncoder(Encoder encoder) {
            this.encoder = encoder;
            return this;
        }

        public Builder setDecoder(SequenceDecoder decoder) {
            this.decoder = decoder;
            return this;
        }

        public EncoderDecoderModel build() {
            if (encoder == null) {
                throw new IllegalArgumentException("EncoderDecoderModel needs an encoder (setEncoder)");
            }
            if (decoder == null) {
                throw new IllegalArgumentException("EncoderDecoderModel needs a decoder (setDecoder)");
            }
            if (decoder.width() % 4 != 0) {
                throw new IllegalArgumentException(
                        "decoder width must be a multiple of 4 for the 2-D position encoding, got "
                                + decoder.width());
            }
            return new EncoderDecoderModel(this);
        }
    }
}
