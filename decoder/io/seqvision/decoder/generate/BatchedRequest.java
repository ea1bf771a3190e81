package io.seqvision.decoder.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link BatchingDecoder#generate} call while the worker decodes it: its prompts, options and
 * sequences ({@link GenerationBatch}), and where its rows sit in the shared batch. Everything but
 * {@link #cancel} and the future is touched by the worker thread alone.
 */
final class BatchedRequest {

    final NDArray memory;
    final GenerationOptions options;
    final GenerationBatch batch;
    final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private final int promptLength;
    private final boolean samplesOnHost;
    private final int vocab;
    /** Tokens fed to the decoder per row so far: the position of the next one. */
    private int fed;
    private int steps;
    private volatile boolean cancelled;

    /** @param memory {@code (B, N, D)}, one row per prompt; read only when the request joins */
    BatchedRequest(NDArray memory, int[][] prompts, int promptLength, GenerationOptions options, int vocab) {
        this.memory = memory;
        this.options = options;
        this.promptLength = promptLength;
        this.vocab = vocab;
        this.batch = new GenerationBatch(prompts, promptLength, options.maxNewTokens(), vocab);
        this.samplesOnHost = !Generator.overridesArraySample(options.sampler());
    }

    /** Rows the request needs in the shared batch when it joins. */
    int rows() {
        return batch.sequences.length;
    }

    /** Its sequences that have not ended, the rows it holds in the shared batch, in that order. */
    int[] liveRows() {
        return batch.activeRows();
    }

    /**
     * The token each live row is fed this step: the prompt one token per step, then the token
     * chosen last.
     */
    void tokensInto(int[] tokens, int offset) {
        int[] rows = liveRows();
        for (int r = 0; r < rows.length; r++) {
            tokens[offset + r] = batch.sequences[rows[r]][fed];
        }
    }

    /**
     * Takes this step's logits of its live rows (rows {@code [offset, offset + live)} of the
     * shared {@code (R, V)} logits) and, once the prompt is fed, chooses each row's next token
     * with its own constraint, logits processor and sampler: the step of {@link Generator}.
     *
     * @return whether the request has finished (every sequence ended or the budget spent)
     */
    boolean advance(float[] sharedLogits, int offset, NDManager stepManager) {
        fed++;
        if (fed < promptLength) {
            return false; // still reading its prompt: these logits are of prompt positions
        }
        int[] active = liveRows();
        float[] activeLogits = new float[active.length * vocab];
        System.arraycopy(sharedLogits, offset * vocab, activeLogits, 0, activeLogits.length);
        float[] logits = batch.spreadOverBatch(active, activeLogits, options.endToken());
        batch.maskDisallowed(logits, options.constraint());
        batch.process(logits, options.logitsProcessor());
        int rows = rows();
        int[] chosen = samplesOnHost
                ? options.sampler().sample(logits, rows, vocab)
                : options.sampler().sample(stepManager.create(logits, new Shape(rows, vocab)));
        batch.checkChoices(chosen, logits, options.sampler());
        batch.append(chosen, logits, options.endToken());
        steps++;
        return !batch.anyActive() || steps >= options.maxNewTokens();
    }

    /** Asks the worker to drop the request at its next step (the caller gave up waiting). */
    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }
}
