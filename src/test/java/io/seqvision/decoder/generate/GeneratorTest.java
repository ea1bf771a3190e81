package io.seqvision.decoder.generate;

import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.DecoderTestSupport;
import io.seqvision.decoder.EncoderDecoderModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class GeneratorTest {

    private static final int VOCAB = 11;
    private static final int MAX_LENGTH = 8;
    private static final int END = 0;
    private static final int[][] PROMPTS = {{1, 2}, {3, 4}, {5, 6}};

    private NDManager manager;
    private EncoderDecoderModel model;
    private ParameterStore parameterStore;
    private NDArray images;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = DecoderTestSupport.tinyModel();
        model.initialize(manager, DataType.FLOAT32, new Shape(3, 3, 16, 16), new Shape(3, 2));
        DecoderTestSupport.randomize(model, 0.3f, 17);
        parameterStore = new ParameterStore(manager, false);
        images = randomNormal(manager, 4, 3, 3, 16, 16);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void greedyIsDeterministicAndEqualsStepwiseArgMax() {
        GenerationOptions options = GenerationOptions.greedy(6, END);
        GenerationResult first = Generator.generate(model, parameterStore, images, PROMPTS, options);
        assertEquals(first, Generator.generate(model, parameterStore, images, PROMPTS, options));

        NDArray memory = model.encode(parameterStore, images, false);
        int generated = 0;
        for (int b = 0; b < PROMPTS.length; b++) {
            GeneratedSequence sequence = first.sequence(b);
            int[] tokens = sequence.tokens();
            float[] probabilities = sequence.probabilities();
            generated += tokens.length;
            int[] prefix = PROMPTS[b].clone();
            NDArray ownMemory = memory.get(new NDIndex("{}:{}", b, b + 1));
            for (int k = 0; k <= tokens.length; k++) {
                if (k == tokens.length && !sequence.ended()) {
                    assertEquals(6, tokens.length, "a sequence that did not end used every step");
                    break;
                }
                float[] logits = lastLogits(prefix, ownMemory);
                int argMax = new GreedySampler().sampleRow(logits);
                if (k == tokens.length) {
                    assertEquals(END, argMax, "sequence " + b + " ended without choosing the end token");
                    break;
                }
                assertEquals(argMax, tokens[k], "sequence " + b + " token " + k);
                assertEquals(softmax(logits)[argMax], probabilities[k], 1e-5, "probability of token " + k);
                prefix = append(prefix, tokens[k]);
            }
        }
        assertTrue(generated > 0, "the random model should produce some tokens before the end token");
    }

    @Test
    void constrainedSamplingOnlyProducesAllowedTokens() {
        List<Integer> seenPrefixLengths = new ArrayList<>();
        TokenConstraint everyThirdByPosition =
                (generatedSoFar, allowed) -> {
                    seenPrefixLengths.add(generatedSoFar.length);
                    for (int v = 0; v < allowed.length; v++) {
                        allowed[v] = v != END && v % 3 == generatedSoFar.length % 3;
                    }
                };
        for (long seed = 0; seed < 4; seed++) {
            GenerationOptions options =
                    new GenerationOptions(7, END, new NucleusSampler(1f, 1.5f, seed), everyThirdByPosition);
            GenerationResult result = Generator.generate(model, parameterStore, images, PROMPTS, options);
            for (GeneratedSequence sequence : result.sequences()) {
                assertFalse(sequence.ended(), "the constraint forbids the end token");
                int[] tokens = sequence.tokens();
                assertEquals(7, tokens.length);
                for (int k = 0; k < tokens.length; k++) {
                    assertEquals(k % 3, tokens[k] % 3, "token " + k + " = " + tokens[k]);
                    assertTrue(tokens[k] != END);
                }
            }
        }
        assertEquals(0, seenPrefixLengths.get(0), "the constraint sees generated tokens, not the prompt");
    }

    @Test
    void aLogitsProcessorSeesEachSequencesHistoryAndNoRepeatBlockingHolds() {
        // the constraint forbids the end token so that every sequence runs its 6 steps
        TokenConstraint noEnd = (generated, allowed) -> allowed[END] = false;
        boolean repeatedWithout = false;
        for (long seed = 0; seed < 8; seed++) {
            GenerationOptions free = new GenerationOptions(6, END, new TemperatureSampler(3.0, seed), noEnd);
            for (GeneratedSequence sequence : Generator.generate(model, parameterStore, images, PROMPTS, free).sequences()) {
                repeatedWithout |= java.util.stream.IntStream.of(sequence.tokens()).distinct().count() < 6;
            }
            List<int[]> histories = new ArrayList<>();
            LogitsProcessor recording = (generated, logits) -> histories.add(generated.clone());
            GenerationOptions blocked = free.withSampler(new TemperatureSampler(3.0, seed))
                    .withLogitsProcessor(recording.andThen(new NoRepeatNGram(1)));
            GenerationResult result = Generator.generate(model, parameterStore, images, PROMPTS, blocked);
            for (GeneratedSequence sequence : result.sequences()) {
                assertEquals(6, sequence.tokens().length);
                assertEquals(6, java.util.stream.IntStream.of(sequence.tokens()).distinct().count(),
                        "n = 1: no token twice, seed " + seed + ": " + java.util.Arrays.toString(sequence.tokens()));
            }
            assertEquals(PROMPTS.length * 6, histories.size(), "one call per sequence and step");
            for (int k = 0; k < histories.size(); k++) {
                int step = k / PROMPTS.length;
                int[] tokens = result.tokens(k % PROMPTS.length);
                assertArrayEquals(java.util.Arrays.copyOf(tokens, step), histories.get(k), "history without the prompt");
            }
        }
        assertTrue(repeatedWithout, "without blocking, the random model should repeat a token somewhere");
    }

    @Test
    void eachSequenceStopsAtItsEndToken() {
        // sequence 0 ends at step 1, sequence 1 at step 3, sequence 2 never
        ScriptedSampler sampler = new ScriptedSampler(new int[] {1, 3, Integer.MAX_VALUE}, 7);
        GenerationResult result =
                Generator.generate(model, parameterStore, images, PROMPTS, new GenerationOptions(5, END, sampler));
        assertArrayEquals(new int[] {7}, result.sequence(0).tokens());
        assertTrue(result.sequence(0).ended());
        assertArrayEquals(new int[] {7, 7, 7}, result.sequence(1).tokens());
        assertTrue(result.sequence(1).ended());
        assertArrayEquals(new int[] {7, 7, 7, 7, 7}, result.sequence(2).tokens());
        assertFalse(result.sequence(2).ended());
        assertEquals(5, sampler.calls);
        for (GeneratedSequence sequence : result.sequences()) {
            assertEquals(sequence.tokens().length, sequence.probabilities().length);
            for (float p : sequence.probabilities()) {
                assertTrue(p > 0f && p <= 1f, "probability " + p);
            }
        }
    }

    @Test
    void generationEndsWhenEverySequenceHasEnded() {
        ScriptedSampler sampler = new ScriptedSampler(new int[] {2, 0, 1}, 7);
        GenerationResult result =
                Generator.generate(model, parameterStore, images, PROMPTS, new GenerationOptions(7, END, sampler));
        assertEquals(3, sampler.calls);
        assertEquals(0, result.sequence(1).length());
        assertTrue(result.sequence(1).ended());
        assertEquals(2, result.sequence(0).length());
    }

    @Test
    void generationReleasesEveryArrayItMakes() {
        // the first pass also makes the model's cached position encoding, which it keeps on purpose
        Generator.generate(model, parameterStore, images, PROMPTS, GenerationOptions.greedy(4, END));
        int before = manager.getManagedArrays().size();
        Generator.generate(model, parameterStore, images, PROMPTS, GenerationOptions.greedy(4, END));
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void cachedAndRecomputedDecodingGenerateTheSame() {
        boolean sawUnevenStops = false;
        for (long seed = 0; seed < 6; seed++) {
            GenerationOptions cached = new GenerationOptions(6, END, new NucleusSampler(1, 2, seed));
            GenerationOptions recomputed =
                    new GenerationOptions(6, END, new NucleusSampler(1, 2, seed)).withKeyValueCache(false);
            assertTrue(cached.keyValueCache() && !recomputed.keyValueCache());
            GenerationResult a = Generator.generate(model, parameterStore, images, PROMPTS, cached);
            GenerationResult b = Generator.generate(model, parameterStore, images, PROMPTS, recomputed);
            java.util.Set<Integer> lengths = new java.util.HashSet<>();
            for (int i = 0; i < PROMPTS.length; i++) {
                assertArrayEquals(b.tokens(i), a.tokens(i), "seed " + seed + " sequence " + i);
                assertEquals(b.ended(i), a.ended(i));
                assertArrayEquals(b.probabilities(i), a.probabilities(i), 1e-5f);
                lengths.add(a.sequence(i).length() + (a.ended(i) ? 0 : 100));
            }
            sawUnevenStops |= lengths.size() > 1;
        }
        assertTrue(sawUnevenStops, "some batch should stop unevenly, so that finished rows leave the cache");
    }

    @Test
    void generationFromAnEncodedMemoryEqualsGenerationFromImages() {
        GenerationOptions options = GenerationOptions.greedy(5, END);
        NDArray memory = model.encode(parameterStore, images, false);
        assertEquals(
                Generator.generate(model, parameterStore, images, PROMPTS, options),
                Generator.generateFromMemory(model, parameterStore, memory, PROMPTS, options));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Generator.generateFromMemory(model, parameterStore, memory, new int[][] {{1}}, options));
        assertTrue(e.getMessage().contains("memory must have shape (B, N, D) with B = 1"), e.getMessage());
    }

    @Test
    void recomputingGenerationAlsoReleasesEveryArrayItMakes() {
        Generator.generate(model, parameterStore, images, PROMPTS, GenerationOptions.greedy(4, END));
        int before = manager.getManagedArrays().size();
        Generator.generate(model, parameterStore, images, PROMPTS,
                new GenerationOptions(4, END, new NucleusSampler(1, 3, 1)).withKeyValueCache(false));
        assertEquals(before, manager.getManagedArrays().size());
    }

    @Test
    void rejectsPromptsOfUnequalLength() {
        int[][] prompts = {{1, 2}, {3}, {5, 6}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generate(prompts, 3));
        assertTrue(e.getMessage().contains("equal length") && e.getMessage().contains("prompt 1"), e.getMessage());
    }

    @Test
    void rejectsPromptCountDifferentFromImages() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> generate(new int[][] {{1}, {2}}, 3));
        assertTrue(e.getMessage().contains("2 prompts"), e.getMessage());
    }

    @Test
    void rejectsGenerationBeyondTheMaximumLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> generate(PROMPTS, 8));
        String message = e.getMessage();
        assertTrue(message.contains("9") && message.contains("maximum length " + MAX_LENGTH), message);
    }

    @Test
    void rejectsTokensOutsideTheVocabulary() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> generate(new int[][] {{1}, {VOCAB}, {2}}, 3));
        assertTrue(e.getMessage().contains("prompt 1") && e.getMessage().contains("11"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> Generator.generate(model, parameterStore, images, PROMPTS, GenerationOptions.greedy(3, VOCAB)));
        assertTrue(e.getMessage().contains("end token 11"), e.getMessage());
    }

    @Test
    void failsClearlyWhenTheConstraintAllowsNothingOrTheSamplerIgnoresIt() {
        GenerationOptions nothingAllowed =
                GenerationOptions.greedy(3, END)
                        .withConstraint((generated, allowed) -> java.util.Arrays.fill(allowed, false));
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> Generator.generate(model, parameterStore, images, PROMPTS, nothingAllowed));
        assertTrue(e.getMessage().contains("allows no token"), e.getMessage());

        GenerationOptions forbidsSeven =
                new GenerationOptions(
                        3, END, new ScriptedSampler(new int[] {9, 9, 9}, 7), (g, allowed) -> allowed[7] = false);
        e = assertThrows(
                IllegalStateException.class,
                () -> Generator.generate(model, parameterStore, images, PROMPTS, forbidsSeven));
        assertTrue(e.getMessage().contains("token 7") && e.getMessage().contains("forbids"), e.getMessage());

        GenerationOptions processorForbidsAll = GenerationOptions.greedy(3, END)
                .withLogitsProcessor((generated, logits) -> java.util.Arrays.fill(logits, Float.NEGATIVE_INFINITY));
        e = assertThrows(IllegalStateException.class,
                () -> Generator.generate(model, parameterStore, images, PROMPTS, processorForbidsAll));
        assertTrue(e.getMessage().contains("logits processor") && e.getMessage().contains("allows no token"),
                e.getMessage());
    }

    @Test
    void optionsRejectBadValues() {
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.greedy(0, END));
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.greedy(3, -1));
        assertThrows(NullPointerException.class, () -> new GenerationOptions(3, END, null));
    }

    private GenerationResult generate(int[][] prompts, int maxNewTokens) {
        return Generator.generate(model, parameterStore, images, prompts, GenerationOptions.greedy(maxNewTokens, END));
    }

    private float[] lastLogits(int[] prefix, NDArray memory) {
        try (NDManager step = manager.newSubManager()) {
            NDArray tokens = step.create(prefix, new Shape(1, prefix.length));
            NDArray logits = model.decode(parameterStore, tokens, memory, false);
            float[] last = logits.get(new NDIndex("0, {}, :", prefix.length - 1)).toFloatArray();
            logits.close();
            return last;
        }
    }

    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float value : logits) {
            max = Math.max(max, value);
        }
        double total = 0;
        for (float value : logits) {
            total += Math.exp(value - max);
        }
        float[] result = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            result[i] = (float) (Math.exp(logits[i] - max) / total);
        }
        return result;
    }

    private static int[] append(int[] prefix, int token) {
        int[] longer = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        longer[prefix.length] = token;
        return longer;
    }

    /** Emits {@code token} for every row until that row's scripted end step, then the end token. */
    private static final class ScriptedSampler implements Sampler {
        private final int[] endStep;
        private final int token;
        int calls;

        ScriptedSampler(int[] endStep, int token) {
            this.endStep = endStep;
            this.token = token;
        }

        @Override
        public int[] sample(NDArray logits) {
            int[] chosen = new int[endStep.length];
            for (int b = 0; b < chosen.length; b++) {
                chosen[b] = calls >= endStep[b] ? END : token;
            }
            calls++;
            return chosen;
        }

        @Override
        public int sampleRow(float[] logits) {
            throw new AssertionError("a scripted sampler is driven per batch: the generator must call sample(NDArray)");
        }
    }
}
