package io.seqvision.tasks.data.shapes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Template captions, lower case without a final period. Every caption names at least one object by colour and
 * shape ("a red triangle", "two people in blue"); spatial relations come from the boxes' centres.
 */
final class Captions {

    private static final String[] NUMBERS = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

    private Captions() {}

    /**
     * @return 2 or 3 distinct captions: the first lists every object and the backdrop, the others come from
     *     randomly chosen templates (relation, position, largest object, "and n other objects", "a picture of")
     */
    static List<String> write(SplittableRandom rng, List<SceneObject> objects, Background.Kind backdrop,
            int width, int height) {
        List<String> captions = new ArrayList<>();
        if (objects.isEmpty()) {
            return captions;
        }
        captions.add(listing(objects) + " on a " + backdrop.adjective + " background");
        List<String> others = new ArrayList<>();
        others.add("a picture of " + listing(objects));
        SceneObject any = objects.get(rng.nextInt(objects.size()));
        others.add(nounPhrase(any) + " " + region(any, width, height) + " of the image");
        if (objects.size() >= 2) {
            int a = rng.nextInt(objects.size());
            int b = (a + 1 + rng.nextInt(objects.size() - 1)) % objects.size();
            others.add(nounPhrase(objects.get(a)) + " " + relation(objects.get(a), objects.get(b))
                    + " " + nounPhrase(objects.get(b)));
            others.add("the largest object is " + nounPhrase(largest(objects)));
            int rest = objects.size() - 1;
            others.add(nounPhrase(any) + " and " + NUMBERS[rest] + " other object" + (rest == 1 ? "" : "s"));
        }
        int wanted = 2 + rng.nextInt(2);
        while (captions.size() < wanted && !others.isEmpty()) {
            String next = others.remove(rng.nextInt(others.size()));
            if (!captions.contains(next)) {
                captions.add(next);
            }
        }
        return captions;
    }

    /** "two blue circles, a green star and a person in red": groups of equal colour and shape, in placement order. */
    static String listing(List<SceneObject> objects) {
        Map<String, List<SceneObject>> groups = new LinkedHashMap<>();
        for (SceneObject object : objects) {
            groups.computeIfAbsent(object.category() + "/" + object.color(), k -> new ArrayList<>()).add(object);
        }
        List<String> phrases = new ArrayList<>();
        for (List<SceneObject> group : groups.values()) {
            phrases.add(group.size() == 1 ? nounPhrase(group.get(0)) : pluralPhrase(group.get(0), group.size()));
        }
        return join(phrases);
    }

    static String nounPhrase(SceneObject object) {
        String color = object.color().word();
        if (object.category() == ShapeCategory.PERSON) {
            return "a person in " + color;
        }
        return article(color) + " " + color + " " + object.category().cocoName();
    }

    private static String pluralPhrase(SceneObject object, int count) {
        String number = count < NUMBERS.length ? NUMBERS[count] : Integer.toString(count);
        if (object.category() == ShapeCategory.PERSON) {
            return number + " people in " + object.color().word();
        }
        return number + " " + object.color().word() + " " + object.category().plural();
    }

    /** Where {@code a} is relative to {@code b}, along the axis on which their centres differ most. */
    static String relation(SceneObject a, SceneObject b) {
        double dx = a.centerX() - b.centerX();
        double dy = a.centerY() - b.centerY();
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx < 0 ? "left of" : "right of";
        }
        return dy < 0 ? "above" : "below";
    }

    /** The image cut into thirds each way, e.g. "at the top left", "in the centre", "on the right". */
    static String region(SceneObject object, int width, int height) {
        int col = Math.min(2, (int) (3 * object.centerX() / width));
        int row = Math.min(2, (int) (3 * object.centerY() / height));
        String[] horizontal = {"left", "", "right"};
        if (row == 1) {
            return col == 1 ? "in the centre" : "on the " + horizontal[col];
        }
        String vertical = row == 0 ? "top" : "bottom";
        return col == 1 ? "at the " + vertical : "at the " + vertical + " " + horizontal[col];
    }

    private static SceneObject largest(List<SceneObject> objects) {
        SceneObject best = objects.get(0);
        for (SceneObject object : objects) {
            if (object.area() > best.area()) {
                best = object;
            }
        }
        return best;
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String join(List<String> phrases) {
        if (phrases.size() == 1) {
            return phrases.get(0);
        }
        return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " and " + phrases.get(phrases.size() - 1);
    }
}
