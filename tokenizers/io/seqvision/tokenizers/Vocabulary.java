package io.seqvision.tokenizers;

/**
 * The one token layout shared by every task. Ranges, in order:
 *
 * <pre>
 *   0                 PAD        padding; never predicted (loss weight 0)
 *   1                 EOS        ends a response
 *   2                 SEPARATOR  between polygons of one object
 *   3                 INVISIBLE  an absent keypoint
 *   4                 NOISE      the fake class of sequence augmentation
 *   5 .. 9            reserved
 *   10 .. 29          task prompts: 10 detection, 11 instance segmentation, 12 keypoints, 13 caption
 *   [classStart, classStart + numClasses)          one token per class, classStart = 30
 *   [coordStart, coordStart + coordBins)           quantised coordinates, coordStart = classStart + numClasses
 *   [textStart,  textStart + textTokens)           text-tokenizer ids shifted, textStart = coordStart + coordBins
 * </pre>
 *
 * <p>Pix2Seq uses fixed offsets (classes from 100, coordinates from 1000); seqvision packs the
 * ranges back to back so that the softmax is no wider than the model needs, which matters on the
 * CPU. A coordinate {@code v} normalised to [0, 1] maps to bin {@code round(v * (coordBins - 1))},
 * so the round-trip error is at most half a bin, {@code 0.5 / (coordBins - 1)}.
 *
 * @param numClasses classes of the dataset (dataset category order)
 * @param coordBins  quantisation bins over the image side; Pix2Seq's default is 1000
 * @param textTokens size of the caption tokenizer's vocabulary (0 when there are no captions)
 */
public record Vocabulary(int numClasses, int coordBins, int textTokens) {

    public static final int PAD = 0;
    public static final int EOS = 1;
    public static final int SEPARATOR = 2;
    public static final int INVISIBLE = 3;
    public static final int NOISE = 4;
    public static final int PROMPT_DETECTION = 10;
    public static final int PROMPT_SEGMENTATION = 11;
    public static final int PROMPT_KEYPOINTS = 12;
    public static final int PROMPT_CAPTION = 13;
    public static final int CLASS_START = 30;

    public Vocabulary {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        if (coordBins < 2) {
            throw new IllegalArgumentException("coordBins must be at least 2, got " + coordBins);
        }
        if (textTokens < 0) {
            throw new IllegalArgumentException("textTokens must be >= 0, got " + textTokens);
        }
    }

    public int classStart() {
        return CLASS_START;
    }

    public int coordStart() {
        return CLASS_START + numClasses;
    }

    public int textStart() {
        return coordStart() + coordBins;
    }

    /** Total number of token ids, the decoder's output width. */
    public int size() {
        return textStart() + textTokens;
    }

    /** The token of a 0-based class index. */
    public int classToken(int classIndex) {
        if (classIndex < 0 || classIndex >= numClasses) {
            throw new IllegalArgumentException(
                    "unknown class index " + classIndex + "; valid: 0.." + (numClasses - 1));
        }
        return CLASS_START + classIndex;
    }

    public boolean isClass(int token) {
        return token >= CLASS_START && token < coordStart();
    }

    /** The 0-based class index of a class token. */
    public int classIndexOf(int token) {
        if (!isClass(token)) {
            throw new IllegalArgumentException("token " + token + " is not a class token");
        }
        return token - CLASS_START;
    }

    public boolean isCoord(int token) {
        return token >= coordStart() && token < textStart();
    }

    /** Quantises a coordinate normalised to [0, 1] into its bin. */
    public int quantize(double normalized) {
        if (Double.isNaN(normalized) || normalized < 0 || normalized > 1) {
            throw new IllegalArgumentException(
                    "normalised coordinate must be in [0, 1], got " + normalized);
        }
        return (int) Math.round(normalized * (coordBins - 1));
    }

    /** The centre of a bin as a coordinate in [0, 1]. */
    public double dequantize(int bin) {
        if (bin < 0 || bin >= coordBins) {
            throw new IllegalArgumentException("bin " + bin + " outside 0.." + (coordBins - 1));
        }
        return bin / (double) (coordBins - 1);
    }

    public int coordToken(double normalized) {
        return coordStart() + quantize(normalized);
    }

    public double coordOf(int token) {
        if (!isCoord(token)) {
            throw new IllegalArgumentException("token " + token + " is not a coordinate token");
        }
        return dequantize(token - coordStart());
    }

    public boolean isText(int token) {
        return token >= textStart() && token < size();
    }
}
