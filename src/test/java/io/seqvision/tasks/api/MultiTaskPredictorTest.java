package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the predictor reads poses over several {@link PoseViews}, on an untrained multi-task model. */
class MultiTaskPredictorTest {

    @Test
    void poseReadingsAreCombinedPerPersonAndMirroredOnesTurnedBack(@TempDir Path dir) {
        Path saved = ApiFixtures.savedMultiTaskModel(dir);
        ModelBundle bundle = ModelBundle.read(saved);
        int side = bundle.config().model().imageSize();
        int person = MultiTaskPredictor.personClass(bundle.classNames());
        Random random = new Random(5);
        List<byte[]> images = List.of(image(side, random), image(side, random));
        List<List<TokenBox>> boxes = List.of(
                List.of(new TokenBox(0.1, 0.2, 0.8, 0.5, person), new TokenBox(0.3, 0.55, 0.9, 0.95, person)),
                List.of(new TokenBox(0.05, 0.1, 0.6, 0.4, person)));
        try (NDManager manager = NDManager.newBaseManager(); TaskSuite suite = bundle.suite()) {
            EncoderDecoderModel model = bundle.instantiate(saved, EncoderRegistry.defaults(), manager);
            ParameterStore store = new ParameterStore(manager, false);
            List<List<Keypoint>> once = poses(model, suite, bundle.classNames(), side, PoseViews.single(), store, images, boxes);
            assertEquals(3, once.size());

            // two identical readings of every person: the median is the single reading, person by person
            assertEquals(once, poses(model, suite, bundle.classNames(), side, new PoseViews(List.of(1.4, 1.4), false), store,
                    images, boxes));

            // a mirrored reading of an image is the plain reading of the mirrored image with mirrored boxes,
            // turned back (x and left/right): with flip the pose is the mean of the two
            List<byte[]> mirroredImages = images.stream().map(pixels -> mirror(pixels, side)).toList();
            List<List<TokenBox>> mirroredBoxes = boxes.stream()
                    .map(list -> list.stream().map(TokenBox::flipHorizontal).toList()).toList();
            List<List<Keypoint>> ofMirror = poses(model, suite, bundle.classNames(), side, PoseViews.single(), store,
                    mirroredImages, mirroredBoxes);
            List<List<Keypoint>> flipped = poses(model, suite, bundle.classNames(), side, new PoseViews(List.of(1.4), true), store,
                    images, boxes);
            for (int p = 0; p < once.size(); p++) {
                List<Keypoint> expected = PoseViews.median(
                        List.of(once.get(p), CocoKeypoints.flipHorizontal(ofMirror.get(p))));
                for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                    Keypoint e = expected.get(k);
                    Keypoint a = flipped.get(p).get(k);
                    assertEquals(e.labelled(), a.labelled(), "person " + p + " keypoint " + k);
                    assertEquals(e.x(), a.x(), 1e-9, "person " + p + " keypoint " + k);
                    assertEquals(e.y(), a.y(), 1e-9, "person " + p + " keypoint " + k);
                }
            }
            assertTrue(!once.equals(flipped), "the mirrored reading changes some pose");
        }
    }

    /** Each person's pose as read, in coordinates normalised to [0, 1] ({@link ImageFrame#UNIT}). */
    private static List<List<Keypoint>> poses(EncoderDecoderModel model, TaskSuite suite, List<String> classNames,
            int side, PoseViews views, ParameterStore store, List<byte[]> images, List<List<TokenBox>> boxes) {
        MultiTaskPredictor predictor = new MultiTaskPredictor(model, suite, classNames, ImageInput.imageNet(side),
                views);
        List<List<Keypoint>> poses = new ArrayList<>();
        for (Analysis analysis : predictor.predict(store, images, Collections.nCopies(images.size(), ImageFrame.UNIT),
                Set.of(TaskKind.KEYPOINTS), task -> DecodingOptions.greedy(), boxes)) {
            for (AnalyzedObject object : analysis.objects()) {
                poses.add(object.keypoints().stream()
                        .map(p -> p.visible() ? new Keypoint(p.x(), p.y(), 2) : Keypoint.UNLABELLED).toList());
            }
        }
        return poses;
    }

    private static byte[] image(int side, Random random) {
        byte[] planar = new byte[3 * side * side];
        random.nextBytes(planar);
        return planar;
    }

    private static byte[] mirror(byte[] planar, int side) {
        byte[] out = new byte[planar.length];
        for (int c = 0; c < 3; c++) {
            for (int row = 0; row < side; row++) {
                for (int column = 0; column < side; column++) {
                    out[(c * side + row) * side + column] = planar[(c * side + row) * side + side - 1 - column];
                }
            }
        }
        return out;
    }
}
