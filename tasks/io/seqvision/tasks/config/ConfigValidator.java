package io.seqvision.tasks.config;

import java.util.Set;

/** Range checks that the type system cannot express; messages name the file and the key. */
final class ConfigValidator {

    /** The figures {@code eval.best_metric} may name. */
    static final Set<String> BEST_METRICS = Set.of("score", "detection.ap", "detection.ap50",
            "segmentation.ap", "segmentation.ap50", "keypoints.ap", "keypoints.ap50",
            "captioning.bleu4", "captioning.cider");

    private ConfigValidator() {}

    static void validate(SeqVisionConfig c, String source) {
        Check check = new Check(source);
        check.notBlank("name", c.name());
        check.notBlank("output_dir", c.outputDir());
        check.notBlank("data.train.instances", c.data().train().instances());
        check.notBlank("data.train.images", c.data().train().images());
        check.notBlank("data.val.instances", c.data().val().instances());
        check.notBlank("data.val.images", c.data().val().images());
        TasksConfig tasks = c.tasks();
        check.task("tasks.detection", tasks.detection());
        check.task("tasks.segmentation", tasks.segmentation().task());
        check.task("tasks.keypoints", tasks.keypoints().task());
        if (tasks.keypoints().testWindows() == null || tasks.keypoints().testWindows().isEmpty()) {
            check.fail("tasks.keypoints.test_windows", "needs at least one window size");
        } else {
            for (double window : tasks.keypoints().testWindows()) {
                check.range("tasks.keypoints.test_windows", window, 1.0, 4.0);
            }
            check.range("tasks.keypoints.test_windows (views per person, twice with flip_test)",
                    tasks.keypoints().views(), 1, 16);
        }
        check.task("tasks.captioning", tasks.captioning().task());
        check.range("tasks.segmentation.max_points", tasks.segmentation().maxPoints(), 3, 4096);
        check.range("tasks.captioning.max_tokens", tasks.captioning().maxTokens(), 1, 4096);
        if (!tasks.detection().enabled() && !tasks.segmentation().task().enabled()
                && !tasks.keypoints().task().enabled() && !tasks.captioning().task().enabled()) {
            check.fail("tasks", "every task has weight 0: at least one must be trained");
        }
        if (tasks.keypoints().task().enabled()) {
            check.notBlank("data.train.keypoints (needed by tasks.keypoints)", c.data().train().keypoints());
            check.notBlank("data.val.keypoints (needed by tasks.keypoints)", c.data().val().keypoints());
        }
        if (tasks.captioning().task().enabled()) {
            check.notBlank("data.train.captions (needed by tasks.captioning)", c.data().train().captions());
            check.notBlank("data.val.captions (needed by tasks.captioning)", c.data().val().captions());
            check.notBlank("tasks.captioning.tokenizer", tasks.captioning().tokenizer());
        }
        check.positive("data.generate.train_images", c.data().generate().trainImages());
        check.positive("data.generate.val_images", c.data().generate().valImages());
        ShapesDataConfig g = c.data().generate();
        try {
            new io.seqvision.tasks.data.shapes.ShapesOptions(g.seed(), g.trainImages(), g.valImages(), g.minSize(),
                    g.maxSize(), g.minObjects(), g.maxObjects(), g.objectScale());
        } catch (IllegalArgumentException e) {
            check.fail("data.generate", e.getMessage().replace("minSize", "min_size").replace("maxSize", "max_size")
                    .replace("minObjects", "min_objects").replace("maxObjects", "max_objects")
                    .replace("objectScale", "object_scale").replace("trainImages", "train_images")
                    .replace("valImages", "val_images"));
        }
        check.notBlank("model.encoder", c.model().encoder());
        check.positive("model.image_size", c.model().imageSize());
        if (c.model().pixelMean().size() != 3
                || c.model().pixelMean().stream().anyMatch(m -> m == null || !Double.isFinite(m))) {
            check.fail("model.pixel_mean", "needs 3 values (RGB), got " + c.model().pixelMean());
        }
        if (c.model().pixelStd().size() != 3
                || c.model().pixelStd().stream().anyMatch(s -> s == null || !(s > 0) || !Double.isFinite(s))) {
            check.fail("model.pixel_std", "needs 3 positive values (RGB), got " + c.model().pixelStd());
        }
        DecoderConfig d = c.model().decoder();
        check.positive("model.decoder.width", d.width());
        check.positive("model.decoder.layers", d.layers());
        check.positive("model.decoder.heads", d.heads());
        check.positive("model.decoder.mlp_dim", d.mlpDim());
        if (d.width() % d.heads() != 0) {
            check.fail("model.decoder.width", d.width() + " is not divisible by model.decoder.heads " + d.heads());
        }
        check.range("model.decoder.dropout", d.dropout(), 0, 0.9);
        check.range("tokenizer.coord_bins", c.tokenizer().coordBins(), 2, 100000);
        check.positive("tokenizer.max_objects", c.tokenizer().maxObjects());
        TrainingConfig t = c.training();
        check.positive("training.batch_size", t.batchSize());
        check.positive("training.steps", t.steps());
        check.range("training.learning_rate", t.learningRate(), 1e-9, 10);
        check.range("training.min_learning_rate", t.minLearningRate(), 0, t.learningRate());
        check.range("training.weight_decay", t.weightDecay(), 0, 10);
        check.range("training.warmup_steps", t.warmupSteps(), 0, t.steps());
        check.range("training.clip_norm", t.clipNorm(), 0, Double.MAX_VALUE);
        check.positive("training.checkpoint_every", t.checkpointEvery());
        check.positive("training.log_every", t.logEvery());
        check.range("training.coord_label_sigma", t.coordLabelSigma(), 0, 100);
        check.range("training.auxiliary_loss_weight", t.auxiliaryLossWeight(), 0, 100);
        check.oneOf("training.object_order", t.objectOrder(), Set.of("random", "raster"));
        check.positive("training.gradient_accumulation", t.gradientAccumulation());
        check.range("training.scale_jitter_min", t.scaleJitterMin(), 0.1, 10);
        check.range("training.scale_jitter_max", t.scaleJitterMax(), t.scaleJitterMin(), 10);
        if ("bf16".equals(t.precision())) {
            check.fail("training.precision", "bf16 is not available: DJL 0.35.1's PyTorch JNI has no bfloat16;"
                    + " use fp16 (float32 master weights, loss scaling) or fp32");
        }
        check.oneOf("training.precision", t.precision(), Set.of("fp32", "fp16"));
        check.range("training.devices", t.devices(), 0, 1024);
        check.range("training.prompt_box_jitter", t.promptBoxJitter(), 0, 0.5);
        check.range("training.auxiliary_keypoint_loss_weight", t.auxiliaryKeypointLossWeight(), 0, 100);
        EvalConfig e = c.eval();
        check.positive("eval.batch_size", e.batchSize());
        check.range("eval.max_images", e.maxImages(), 0, Integer.MAX_VALUE);
        check.range("eval.every", e.every(), 0, Integer.MAX_VALUE);
        check.range("eval.interim_images", e.interimImages(), 0, Integer.MAX_VALUE);
        check.oneOf("eval.best_metric", e.bestMetric(), BEST_METRICS);
    }

    private record Check(String source) {
        void fail(String key, String why) {
            throw new ConfigException(source + ": key '" + key + "': " + why);
        }

        void notBlank(String key, String value) {
            if (value == null || value.isBlank()) {
                fail(key, "must not be empty");
            }
        }

        void positive(String key, long value) {
            if (value <= 0) {
                fail(key, "must be positive, got " + value);
            }
        }

        void range(String key, double value, double min, double max) {
            if (Double.isNaN(value) || value < min || value > max) {
                fail(key, "must be in [" + min + ", " + max + "], got " + value);
            }
        }

        void task(String key, TaskConfig task) {
            range(key + ".weight", task.weight(), 0, 1e6);
            range(key + ".loss_weight", task.lossWeight(), 0, 1e6);
            SamplingConfig s = task.sampling();
            oneOf(key + ".sampling.sampler", s.sampler(), Set.of("greedy", "temperature", "top_k", "nucleus"));
            range(key + ".sampling.top_p", s.topP(), 1e-6, 1);
            positive(key + ".sampling.top_k", s.topK());
            range(key + ".sampling.temperature", s.temperature(), 1e-6, 100);
            range(key + ".sampling.no_repeat_ngram_size", s.noRepeatNgramSize(), 0, 1000);
            range(key + ".sampling.repetition_penalty", s.repetitionPenalty(), 1e-6, 100);
        }

        void oneOf(String key, String value, Set<String> valid) {
            if (!valid.contains(value)) {
                fail(key, "'" + value + "' is not one of " + new java.util.TreeSet<>(valid));
            }
        }
    }
}
