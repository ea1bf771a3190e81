package io.seqvision.bench.train;

import io.seqvision.tasks.config.DecoderConfig;
import io.seqvision.tasks.config.ModelConfig;
import io.seqvision.tasks.config.SeqVisionConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the speed bench trains and decodes: a model, a vocabulary size and a sequence length, and a
 * default batch. The built-in presets are mirrored, key for key, by {@code bench/presets.json},
 * which the PyTorch reference ({@code bench/pix2seq_bench.py}) reads; a test keeps the two equal.
 *
 * @param classes    class tokens in the vocabulary (with {@code coordBins}, the vocabulary size)
 * @param maxObjects objects per sequence: {@code 5 * maxObjects + 1} input tokens per image
 */
public record BenchPreset(String name, String encoder, int imageSize, DecoderConfig decoder, int classes,
        int coordBins, int maxObjects, int batch) {

    /** Every built-in preset by name, in the order the help lists them. */
    public static final Map<String, BenchPreset> PRESETS = presets();

    private static Map<String, BenchPreset> presets() {
        DecoderConfig pix2seq = new DecoderConfig(256, 6, 8, 1024, 0.1);
        Map<String, BenchPreset> map = new LinkedHashMap<>();
        // A network whose arithmetic is negligible: its step time is the per-step overhead.
        map.put("tiny", new BenchPreset("tiny", "convnext-tiny", 64, new DecoderConfig(32, 2, 2, 64, 0.0), 10, 64, 4, 8));
        // configs/shapes-detection.yaml's model, vocabulary and batch (5 shape classes).
        map.put("nano", new BenchPreset("nano", "convnext-s16-nano", 128, new DecoderConfig(128, 2, 4, 512, 0.1), 5, 128,
                6, 32));
        // Pix2Seq-like: ConvNeXt-T, 6 x 256 decoder, 384 px, COCO's 80 classes, 1000 bins, 100 objects.
        map.put("t", new BenchPreset("t", "convnext-t", 384, pix2seq, 80, 1000, 100, 32));
        // The same with the large-kernel encoders (31x31 ... and 51x51 ... kernels).
        map.put("replknet-31b", new BenchPreset("replknet-31b", "replknet-31b", 384, pix2seq, 80, 1000, 100, 32));
        map.put("slak-t", new BenchPreset("slak-t", "slak-t", 384, pix2seq, 80, 1000, 100, 32));
        return java.util.Collections.unmodifiableMap(map);
    }

    /**
     * The model, vocabulary and batch of a config file; the number of classes comes from its data,
     * which the bench does not read, so it is given.
     */
    public static BenchPreset fromConfig(SeqVisionConfig config, int classes) {
        ModelConfig model = config.model();
        return new BenchPreset(config.name(), model.encoder(), model.imageSize(), model.decoder(), classes,
                config.tokenizer().coordBins(), config.tokenizer().maxObjects(), config.training().batchSize());
    }

    public ModelConfig modelConfig() {
        return new ModelConfig(encoder, imageSize, decoder);
    }

    /** Decoder input tokens per image: the prompt and five per object (the targets are shifted by one). */
    public int sequenceLength() {
        return 5 * maxObjects + 1;
    }

    /** The decoder's maximum length: the inputs and the final target. */
    public int maxLength() {
        return sequenceLength() + 1;
    }
}
