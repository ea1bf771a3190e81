package io.seqvision.tokenizers;

/** Prompts that condition a response on one object's box: {@code task ymin xmin ymax xmax [class]}. */
final class BoxPrompts {

    private BoxPrompts() {}

    static int[] of(Vocabulary vocabulary, int taskToken, TokenBox box, boolean withClass) {
        if (box.ymin() > box.ymax() || box.xmin() > box.xmax()) {
            throw new IllegalArgumentException("prompt box is inverted: " + box);
        }
        int[] prompt = new int[withClass ? 6 : 5];
        prompt[0] = taskToken;
        try {
            prompt[1] = vocabulary.coordToken(box.ymin());
            prompt[2] = vocabulary.coordToken(box.xmin());
            prompt[3] = vocabulary.coordToken(box.ymax());
            prompt[4] = vocabulary.coordToken(box.xmax());
            if (withClass) {
                prompt[5] = vocabulary.classToken(box.classIndex());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prompt box " + box + ": " + e.getMessage(), e);
        }
        return prompt;
    }
}
