package io.seqvision.decoder.generate;

import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.seqvision.decoder.SequenceDecoder;
import io.seqvision.decoder.TinyTestEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchingDecoderTest {

    private static final int VOCAB = 13;
    private static final int END = 0;
    private static final int CALLS = 8;

    private NDManager manager;
    private EncoderDecoderModel model;
    private ParameterStore parameterStore;
    private NDArray memory;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = EncoderDecoderModel.builder()
                .setEncoder(new TinyTestEncoder(6, 4))
                .setDecoder(SequenceDecoder.builder().setVocabSize(VOCAB).setMaxLength(48).optWidth(8)
                        .optLayers(2).optHeads(2).optMlpDim(16).build())
                .build();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16), new Shape(1, 2));
        DecoderTestSupport.randomize(model, 0.3f, 23);
        parameterStore = new ParameterStore(manager, false);
        memory = model.encode(parameterStore, randomNormal(manager, 3, 2 * CALLS, 3, 16, 16), false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * Eight calls of two sequences each, with prompts of different lengths and their own options
     * (greedy, greedy with a grammar, seeded sampling, a budget), arriving at staggered times into
     * a batch of at most five rows: each gets exactly the tokens it gets decoding alone.
     */
    @Test
    void staggeredCallsGetTheTokensOfDecodingAlone() throws Exception {
        IntFunction<GenerationOptions> options = call -> switch (call % 4) {
            case 0 -> GenerationOptions.greedy(30, END);
            case 1 -> GenerationOptions.greedy(30, END).withConstraint(oddAfterEven());
            case 2 -> new GenerationOptions(30, END, new TemperatureSampler(1.5, call));
            default -> GenerationOptions.greedy(4 + call, END).withLogitsProcessor(new NoRepeatNGram(1));
        };
        List<GenerationResult> alone = new ArrayList<>();
        for (int call = 0; call < CALLS; call++) {
            alone.add(Generator.generateFromMemory(model, parameterStore, rows(call), prompts(call), options.apply(call)));
        }
        List<GenerationResult> batched = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(CALLS);
        try (BatchingDecoder decoder = new BatchingDecoder(model, manager, 5)) {
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (int call = 0; call < CALLS; call++) {
                int c = call;
                futures.add(callers.submit(() -> {
                    Thread.sleep(3L * c * c); // staggered: later calls join a batch already under way
                    return decoder.generate(rows(c), prompts(c), options.apply(c));
                }));
            }
            for (Future<GenerationResult> future : futures) {
                batched.add(future.get());
            }
        } finally {
            callers.shutdownNow();
        }
        for (int call = 0; call < CALLS; call++) {
            for (int b = 0; b < 2; b++) {
                GeneratedSequence expected = alone.get(call).sequence(b);
                GeneratedSequence actual = batched.get(call).sequence(b);
                assertArrayEquals(expected.tokens(), actual.tokens(), "call " + call + " sequence " + b);
                assertEquals(expected.ended(), actual.ended(), "call " + call + " sequence " + b);
                assertArrayEquals(expected.probabilities(), actual.probabilities(), 1e-5f);
            }
        }
    }

    @Test
    void anErrorInOneCallFailsThatCallAlone() throws Exception {
        TokenConstraint failing = (generated, allowed) -> {
            if (generated.length == 3) {
                throw new IllegalStateException("request past its time limit");
            }
        };
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (BatchingDecoder decoder = new BatchingDecoder(model, manager, 8)) {
            Future<GenerationResult> good = callers.submit(() ->
                    decoder.generate(rows(0), prompts(0), GenerationOptions.greedy(30, END)));
            Future<GenerationResult> bad = callers.submit(() ->
                    decoder.generate(rows(1), prompts(1), GenerationOptions.greedy(30, END).withConstraint(failing)));
            Exception e = assertThrows(Exception.class, bad::get);
            assertEquals("request past its time limit", e.getCause().getMessage());
            assertArrayEquals(Generator.generateFromMemory(model, parameterStore, rows(0), prompts(0),
                    GenerationOptions.greedy(30, END)).sequence(0).tokens(), good.get().sequence(0).tokens());
            // the decoder goes on serving
            assertEquals(2, decoder.generate(rows(2), prompts(2), GenerationOptions.greedy(5, END)).size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anInterruptedCallerCancelsItsCall() throws Exception {
        CountDownLatch decoding = new CountDownLatch(1);
        TokenConstraint slow = (generated, allowed) -> {
            decoding.countDown();
            allowed[END] = false; // never ends by itself
        };
        try (BatchingDecoder decoder = new BatchingDecoder(model, manager, 8)) {
            List<Throwable> thrown = new ArrayList<>();
            Thread caller = new Thread(() -> {
                try {
                    decoder.generate(rows(0), prompts(0), GenerationOptions.greedy(40, END).withConstraint(slow));
                } catch (RuntimeException e) {
                    thrown.add(e);
                }
                thrown.add(new AssertionError("interrupt flag " + Thread.currentThread().isInterrupted()));
            });
            caller.start();
            decoding.await();
            caller.interrupt();
            caller.join(10_000);
            assertTrue(thrown.get(0) instanceof CancellationException, String.valueOf(thrown));
            assertEquals("interrupt flag true", thrown.get(1).getMessage());
        }
    }

    @Test
    void leavesNoArraysBehindAndRefusesCallsOnceClosed() {
        try (NDManager owner = manager.newSubManager()) {
            BatchingDecoder decoder = new BatchingDecoder(model, owner, 4);
            int before = owner.getManagedArrays().size();
            for (int call = 0; call < 3; call++) {
                decoder.generate(rows(call), prompts(call), GenerationOptions.greedy(20, END));
            }
            assertEquals(before, owner.getManagedArrays().size(), "arrays left in the decoder's manager");
            decoder.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> decoder.generate(rows(0), prompts(0), GenerationOptions.greedy(5, END)));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void checksPromptsAndBudgetOnTheCallersThread() {
        try (BatchingDecoder decoder = new BatchingDecoder(model, manager, 4)) {
            assertThrows(IllegalArgumentException.class,
                    () -> decoder.generate(rows(0), new int[][] {{1}, {1, 2}}, GenerationOptions.greedy(5, END)));
            assertThrows(IllegalArgumentException.class,
                    () -> decoder.generate(rows(0), prompts(0), GenerationOptions.greedy(60, END)));
            GenerationResult recomputed = decoder.generate(rows(0), prompts(0),
                    GenerationOptions.greedy(10, END).withKeyValueCache(false));
            assertSame(GenerationResult.class, recomputed.getClass());
        }
    }

    /** Two memory rows per call. */
    private NDArray rows(int call) {
        return memory.get(new NDIndex("{}:{}", 2 * call, 2 * call + 2));
    }

    /** Two prompts per call, 1 to 3 tokens long by call. */
    private static int[][] prompts(int call) {
        int length = 1 + call % 3;
        int[][] prompts = new int[2][length];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < length; i++) {
                prompts[b][i] = 1 + (call + 3 * b + i) % (VOCAB - 1);
            }
        }
        return prompts;
    }

    /** A grammar: after an even token only odd ones (or the end), after an odd one anything. */
    private static TokenConstraint oddAfterEven() {
        return (generated, allowed) -> {
            if (generated.length > 0 && generated[generated.length - 1] % 2 == 0) {
                for (int v = 2; v < allowed.length; v += 2) {
                    allowed[v] = false;
                }
            }
        };
    }
}
