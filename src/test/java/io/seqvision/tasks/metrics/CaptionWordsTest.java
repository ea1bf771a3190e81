package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionWordsTest {

    @Test
    void agreesWithCocoCaptionsPtbTokenizer() {
        // Expected: Stanford PTBTokenizer 3.4.1 (-preserveLines -lowerCase) with coco-caption's
        // punctuation list removed, i.e. pycocoevalcap's PTBTokenizer.tokenize, run on each line.
        String[] cases = {
                "A man riding a wave on top of a surfboard.", "a man riding a wave on top of a surfboard",
                "A black-and-white photo of a man's hat.", "a black-and-white photo of a man 's hat",
                "Don't touch the dog's ball, it can't move!", "do n't touch the dog 's ball it ca n't move",
                "Two people (a man and a woman) are \"walking\" in the park...",
                        "two people -lrb- a man and a woman -rrb- are walking in the park",
                "A dog,cat and bird sit on a bench", "a dog cat and bird sit on a bench",
                "Kids' toys are on the floor: cars, dolls & blocks.",
                        "kids toys are on the floor cars dolls & blocks",
                "He said \u2018hello\u2019 and \u201cgoodbye\u201d \u2014 then left\u2026",
                        "he said hello and goodbye then left",
                "I'm sure they're here, we've seen they'll come, she'd go.",
                        "i 'm sure they 're here we 've seen they 'll come she 'd go",
                "A  table   with  pizza\tand beer ?", "a table with pizza and beer",
                "A cat sleeping on a laptop keyboard.", "a cat sleeping on a laptop keyboard",
                "Several zebras grazing in a field, near trees.", "several zebras grazing in a field near trees",
                "A bowl of soup with a spoon in it", "a bowl of soup with a spoon in it",
                "an old-fashioned clock tower at night", "an old-fashioned clock tower at night",
                "A woman holding an umbrella [in the rain] {maybe}.",
                        "a woman holding an umbrella -lsb- in the rain -rsb- -lcb- maybe -rcb-",
                "A plate with 1,000 tiny pieces, 2,3 and 4", "a plate with 1,000 tiny pieces 2,3 and 4",
                "A man is skiing down a snow-covered hill?", "a man is skiing down a snow-covered hill",
                "a couple of people that are on some horses", "a couple of people that are on some horses",
                "Children's books and adults' magazines.", "children 's books and adults magazines",
                "it is what it is -- the end", "it is what it is the end",
                "A picture of a cake: chocolate; strawberry...", "a picture of a cake chocolate strawberry",
                "\"Quoted\" text and 'single' quotes", "quoted text and single quotes",
                "won't shouldn't wouldn't ain't", "wo n't should n't would n't ai n't",
                "a teddy bear , sitting next to a ball .", "a teddy bear sitting next to a ball"
        };
        for (int i = 0; i < cases.length; i += 2) {
            assertEquals(cases[i + 1], String.join(" ", CaptionWords.tokenize(cases[i])), cases[i]);
        }
    }

    @Test
    void documentedDifferencesFromPtb() {
        // PTB: "the u.s. flag", "'t is", "5:30 pm", "red !!"
        assertEquals(List.of("the", "u.s", "flag"), CaptionWords.tokenize("The U.S. flag"));
        assertEquals(List.of("tis", "a", "cat", "'s", "life"), CaptionWords.tokenize("'Tis a cat's life"));
        assertEquals(List.of("at", "5:30pm"), CaptionWords.tokenize("at 5:30pm."));
        assertEquals(List.of("the", "bus", "is", "red"), CaptionWords.tokenize("THE BUS IS RED!!"));
    }

    @Test
    void emptyAndPunctuationOnlyCaptionsHaveNoWords() {
        assertEquals(List.of(), CaptionWords.tokenize(""));
        assertEquals(List.of(), CaptionWords.tokenize("  ... -- ! \n"));
        assertEquals(List.of("-lrb-", "-rrb-"), CaptionWords.tokenize("()"));
    }
}
