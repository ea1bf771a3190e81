package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Random;

/** Helpers shared by the decoder tests. */
public final class DecoderTestSupport {

    private DecoderTestSupport() {}

    /** A tiny decoder: V=11, T=8, D=8, 2 layers, 2 heads, MLP 16, dropout 0.1 (off in eval). */
    public static SequenceDecoder tinyDecoder() {
        return SequenceDecoder.builder()
                .setVocabSize(11)
                .setMaxLength(8)
                .optWidth(8)
                .optLayers(2)
                .optHeads(2)
                .optMlpDim(16)
                .build();
    }

    /**
     * A tiny Pix2Seq network: {@link TinyTestEncoder} with 6 channels and stride 4, then {@link
     * #tinyDecoder()}; 16x16 images give a 4x4 memory grid.
     */
    public static EncoderDecoderModel tinyModel() {
        return EncoderDecoderModel.builder()
                .setEncoder(new TinyTestEncoder(6, 4))
                .setDecoder(tinyDecoder())
                .build();
    }

    /**
     * Overwrites every parameter with Gaussian values of the given standard deviation, so that
     * tests see outputs far from the near-zero ones of the 0.02 initialisation.
     */
    public static void randomize(Block block, float std, long seed) {
        Random random = new Random(seed);
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            float[] values = new float[(int) array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
            array.set(values);
        }
    }

    /**
     * How many times libtorch ran the operation {@code name} (e.g. {@code aten::clone}) while {@code work}
     * ran, counted from its profiler's trace.
     */
    public static long operationsDuring(String name, Runnable work) {
        try {
            Path trace = Files.createTempFile("seqvision-trace", ".json");
            try {
                JniUtils.startProfile(false, false, false);
                try {
                    work.run();
                } finally {
                    JniUtils.stopProfile(trace.toString());
                }
                long count = 0;
                for (JsonNode event : new ObjectMapper().readTree(trace.toFile())) {
                    if (name.equals(event.path("name").asText()) && "X".equals(event.path("ph").asText())) {
                        count++;
                    }
                }
                return count;
            } finally {
                Files.deleteIfExists(trace);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single parameter whose full name ends with {@code suffix}. */
    public static Parameter parameter(Block block, String suffix) {
        Parameter found = null;
        for (Pair<String, Parameter> entry : block.getParameters()) {
            if (entry.getKey().endsWith(suffix)) {
                if (found != null) {
                    throw new IllegalArgumentException("several parameters end with " + suffix);
                }
                found = entry.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no parameter ends with " + suffix);
        }
        return found;
    }

    public static NDArray randomNormal(NDManager manager, long seed, long... shape) {
        Random random = new Random(seed);
        Shape s = new Shape(shape);
        float[] values = new float[(int) s.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, s);
    }

    public static int[] randomTokens(long seed, int count, int vocab) {
        Random random = new Random(seed);
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = random.nextInt(vocab);
        }
        return tokens;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
