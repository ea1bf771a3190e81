package io.seqvision.tasks.eval;

import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/** What the model produced for one image: the raw response tokens and the boxes read from them. */
public record ImagePredictions(long imageId, int[] tokens, List<TokenBox> boxes) {}
