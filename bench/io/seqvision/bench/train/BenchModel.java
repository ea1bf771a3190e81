package io.seqvision.bench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.replknet.RepLKNetVariants;
import io.seqvision.encoder.slak.SLaKVariants;
import io.seqvision.tasks.model.ModelFactory;
import io.seqvision.tokenizers.Vocabulary;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A randomly initialised model of a {@link BenchPreset} on one device, with one synthetic batch
 * made there once: images {@code (B, 3, H, W)} standard normal, input tokens {@code (B, L)} (the
 * detection prompt, then uniform ids), uniform target ids {@code (B, L)} and loss weights 1. Every
 * step reuses the batch, so the bench measures the step and not host-to-device copies of data.
 */
final class BenchModel implements AutoCloseable {

    final BenchPreset preset;
    final int batch;
    final NDManager manager;
    final EncoderDecoderModel model;
    final Vocabulary vocabulary;
    final NDArray images;
    final NDArray inputs;
    final NDArray targets;
    final NDArray weights;

    private BenchModel(BenchPreset preset, int batch, Device device, DepthwiseConv.Path path, long seed) {
        this.preset = preset;
        this.batch = batch;
        this.vocabulary = new Vocabulary(preset.classes(), preset.coordBins(), 0);
        this.manager = NDManager.newBaseManager(device);
        try {
            Engine.getInstance().setRandomSeed((int) seed);
            model = ModelFactory.create(preset.modelConfig(), vocabulary, preset.maxLength(), encoders(path), manager);
            int side = preset.imageSize();
            int length = preset.sequenceLength();
            images = manager.randomNormal(new Shape(batch, 3, side, side));
            Random random = new Random(seed);
            long[] in = new long[batch * length];
            long[] out = new long[batch * length];
            float[] w = new float[batch * length];
            for (int i = 0; i < in.length; i++) {
                in[i] = i % length == 0 ? Vocabulary.PROMPT_DETECTION : 1 + random.nextInt(vocabulary.size() - 1);
                out[i] = 1 + random.nextInt(vocabulary.size() - 1);
                w[i] = 1f;
            }
            Shape tokens = new Shape(batch, length);
            inputs = manager.create(in, tokens);
            targets = manager.create(out, tokens);
            weights = manager.create(w, tokens);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Builds the preset's model and batch; {@code path} overrides the large-kernel encoders' conv path. */
    static BenchModel create(BenchPreset preset, int batch, Device device, DepthwiseConv.Path path, long seed) {
        return new BenchModel(preset, batch, device, path, seed);
    }

    /** Trainable parameters, with gradients switched on. */
    List<Parameter> trainableParameters() {
        return io.seqvision.tasks.training.Trainer.trainableParameters(model);
    }

    long parameterCount() {
        long count = 0;
        for (var entry : model.getParameters()) {
            count += entry.getValue().getArray().size();
        }
        return count;
    }

    /**
     * The registry with the RepLKNet and SLaK variants built on {@code path} (their large kernels
     * are the only {@link DepthwiseConv}s of the presets); the defaults for {@link
     * DepthwiseConv.Path#AUTO}.
     */
    static EncoderRegistry encoders(DepthwiseConv.Path path) {
        EncoderRegistry defaults = EncoderRegistry.defaults();
        if (path == DepthwiseConv.Path.AUTO) {
            return defaults;
        }
        Map<String, Supplier<Encoder>> overrides = Map.of(
                RepLKNetVariants.B31, () -> RepLKNetVariants.b31Builder().optPath(path).build(),
                RepLKNetVariants.TINY, () -> RepLKNetVariants.tinyBuilder().optPath(path).build(),
                SLaKVariants.T, () -> SLaKVariants.tBuilder().optPath(path).build(),
                SLaKVariants.TINY, () -> SLaKVariants.tinyBuilder().optPath(path).build());
        EncoderRegistry registry = new EncoderRegistry();
        for (String name : defaults.names()) {
            registry.register(name, overrides.getOrDefault(name, () -> defaults.create(name)));
        }
        return registry;
    }

    @Override
    public void close() {
        manager.close();
    }
}
