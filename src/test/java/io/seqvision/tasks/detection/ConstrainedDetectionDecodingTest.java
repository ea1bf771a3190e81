package io.seqvision.tasks.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.TemperatureSampler;
import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.model.ModelFactory;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detection grammar makes every output of even an untrained model parse: sampled freely at a
 * high temperature (so that the model's preferences do not hide anything), each response is whole
 * objects (four coordinates then a real class), then the end token.
 */
class ConstrainedDetectionDecodingTest {

    private static final int IMAGES = 6;

    @Test
    void everyConstrainedOutputOfAnUntrainedModelParses() {
        SeqVisionConfig config = ApiFixtures.config(Path.of("unused"), "{sampler: temperature}");
        TaskSuite setup = TaskSuite.of(config, ApiFixtures.CLASSES);
        BoxTokenizer tokenizer = setup.detection().tokenizer();
        Vocabulary vocabulary = setup.vocabulary();
        int budget = tokenizer.maxResponseLength();
        int objects = 0;
        int shortOnes = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), vocabulary, setup.maxLength(), EncoderRegistry.defaults(), manager);
            for (long seed = 0; seed < 5; seed++) {
                GenerationResult result = generate(model, setup, manager, seed, setup.detection()::allowedNext, budget);
                for (GeneratedSequence sequence : result.sequences()) {
                    int[] tokens = sequence.tokens();
                    String context = "seed " + seed + ": " + sequence;
                    assertEquals(0, tokens.length % BoxTokenizer.TOKENS_PER_OBJECT, "whole objects only, " + context);
                    assertTrue(sequence.ended(),
                            "after max_objects the grammar allows only the end token, within the budget: " + context);
                    for (int i = 0; i < tokens.length; i++) {
                        boolean classSlot = i % BoxTokenizer.TOKENS_PER_OBJECT == 4;
                        assertTrue(classSlot ? vocabulary.isClass(tokens[i]) : vocabulary.isCoord(tokens[i]),
                                "token " + i + " of " + context);
                    }
                    List<TokenBox> boxes = setup.detection().decode(tokens, sequence.probabilities());
                    assertEquals(tokens.length / BoxTokenizer.TOKENS_PER_OBJECT, boxes.size(), context);
                    for (TokenBox box : boxes) {
                        assertTrue(0 <= box.ymin() && box.ymin() <= box.ymax() && box.ymax() <= 1, box.toString());
                        assertTrue(0 <= box.xmin() && box.xmin() <= box.xmax() && box.xmax() <= 1, box.toString());
                        assertTrue(box.classIndex() >= 0 && box.classIndex() < ApiFixtures.CLASSES.size());
                        assertTrue(box.score() > 0 && box.score() <= 1, box.toString());
                    }
                    objects += boxes.size();
                    shortOnes += boxes.size() < tokenizer.maxObjects() ? 1 : 0;
                }
            }
            assertTrue(objects > 0 && shortOnes > 0, objects + " objects, " + shortOnes + " responses ended early:"
                    + " the sampling should both list objects and sometimes stop by itself");
        }
    }

    @Test
    void withoutTheGrammarTheSameModelProducesUnparsableOutput() {
        SeqVisionConfig config = ApiFixtures.config(Path.of("unused"), "{sampler: temperature}");
        TaskSuite setup = TaskSuite.of(config, ApiFixtures.CLASSES);
        int malformed = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), setup.vocabulary(), setup.maxLength(), EncoderRegistry.defaults(), manager);
            GenerationResult result = generate(model, setup, manager, 0, TokenConstraint.UNCONSTRAINED,
                    setup.detection().tokenizer().maxResponseLength());
            for (GeneratedSequence sequence : result.sequences()) {
                int parsed = setup.detection().decode(sequence.tokens(), sequence.probabilities()).size();
                if (parsed * BoxTokenizer.TOKENS_PER_OBJECT != sequence.length()) {
                    malformed++;
                }
            }
        }
        assertTrue(malformed > 0, "the grammar test above would prove nothing if free sampling always parsed");
    }

    private static GenerationResult generate(EncoderDecoderModel model, TaskSuite setup, NDManager manager,
            long seed, TokenConstraint constraint, int budget) {
        int side = 64;
        Random random = new Random(seed);
        float[] pixels = new float[IMAGES * 3 * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[][] prompts = new int[IMAGES][];
        for (int i = 0; i < IMAGES; i++) {
            prompts[i] = setup.detection().prompt(List.of());
        }
        try (NDManager call = manager.newSubManager()) {
            NDArray images = call.create(pixels, new Shape(IMAGES, 3, side, side));
            GenerationOptions options =
                    new GenerationOptions(budget, Vocabulary.EOS, new TemperatureSampler(3.0, seed), constraint);
            return Generator.generate(model, new ParameterStore(call, false), images, prompts, options);
        }
    }
}
