package io.seqvision.tasks.api.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.modality.cv.output.Mask;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.repository.zoo.ZooModel;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.BinaryMask;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The masks, poses and captions criteria load a model directory offline and predict what the
 * library API gives for the same image (the detection criteria: {@link SeqVisionCriteriaTest}).
 */
class AllTasksCriteriaTest {

    @TempDir
    static Path dir;

    private static Path modelDir;
    private static SeqVisionModel reference;
    private static final List<BufferedImage> IMAGES = List.of(
            ApiFixtures.image(96, 80, 3), ApiFixtures.image(64, 64, 4), ApiFixtures.image(70, 50, 6));

    @BeforeAll
    static void save() {
        modelDir = ApiFixtures.savedMultiTaskModel(dir);
        // an untrained model lists objects only when it samples widely: the detection decoding says so
        ModelBundle bundle = ModelBundle.read(modelDir);
        SeqVisionConfig sampled = ConfigLoader.overlay("criteria-test", ConfigLoader.toYaml(bundle.config()),
                "tasks: {detection: {sampling: {sampler: nucleus, top_p: 0.95}}}");
        AtomicFiles.writeString(modelDir.resolve(ModelBundle.CONFIG_FILE), ConfigLoader.toYaml(sampled));
        reference = SeqVisionModel.load(modelDir);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    private static Image djl(BufferedImage image) {
        return ImageFactory.getInstance().fromImage(image);
    }

    @Test
    void masksAreTheLibraryApisPolygonsRasterised() throws Exception {
        int objects = 0;
        try (ZooModel<Image, DetectedObjects> model = SeqVisionCriteria.masks(modelDir).build().loadModel();
                Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
            int side = reference.imageSize();
            for (BufferedImage image : IMAGES) {
                List<AnalyzedObject> expected = reference.segment(image);
                DetectedObjects actual = predictor.predict(djl(image));
                assertEquals(expected.size(), actual.getNumberOfObjects());
                for (int i = 0; i < expected.size(); i++) {
                    AnalyzedObject e = expected.get(i);
                    DetectedObjects.DetectedObject a = actual.item(i);
                    assertEquals(e.detection().className(), a.getClassName());
                    assertEquals(e.detection().score(), a.getProbability(), 1e-9);
                    Mask mask = assertInstanceOf(Mask.class, a.getBoundingBox());
                    assertTrue(mask.isFullImageMask());
                    Rectangle box = mask.getBounds();
                    assertEquals(e.detection().xmin() / image.getWidth(), box.getX(), 1e-9);
                    assertEquals(e.detection().ymin() / image.getHeight(), box.getY(), 1e-9);
                    List<NormalizedPolygon> polygons = new ArrayList<>();
                    for (double[] pixels : e.polygons()) {
                        polygons.add(NormalizedPolygon.fromPixels(pixels, image.getWidth(), image.getHeight()));
                    }
                    BinaryMask raster = PolygonRasterizer.rasterize(polygons, side, side);
                    float[][] dist = mask.getProbDist();
                    int differing = 0;
                    for (int y = 0; y < side; y++) {
                        for (int x = 0; x < side; x++) {
                            differing += (dist[y][x] > 0.5f) != raster.get(x, y) ? 1 : 0;
                        }
                    }
                    // pixels -> normalised round trip moves a vertex by float rounding only
                    assertTrue(differing <= side, differing + " pixels differ");
                    objects++;
                }
            }
        }
        assertTrue(objects > 0, "the sampled detection lists objects to segment");
    }

    @Test
    void posesAreOneJointsPerPersonAsTheLibraryApiReadsThem() throws Exception {
        int people = 0;
        try (ZooModel<Image, List<Joints>> model = SeqVisionCriteria.poses(modelDir).build().loadModel();
                Predictor<Image, List<Joints>> predictor = model.newPredictor()) {
            for (BufferedImage image : IMAGES) {
                List<AnalyzedObject> expected = reference.keypoints(image);
                List<Joints> actual = predictor.predict(djl(image));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    List<PosePoint> points = expected.get(i).keypoints();
                    List<Joints.Joint> joints = actual.get(i).getJoints();
                    assertEquals(17, joints.size());
                    for (int k = 0; k < 17; k++) {
                        PosePoint p = points.get(k);
                        assertEquals(p.x() / image.getWidth(), joints.get(k).getX(), 1e-9);
                        assertEquals(p.y() / image.getHeight(), joints.get(k).getY(), 1e-9);
                        assertEquals(p.visible() ? expected.get(i).detection().score() : 0,
                                joints.get(k).getConfidence(), 1e-9);
                    }
                    people++;
                }
            }
        }
        assertTrue(people > 0, "the sampled detection lists persons");
    }

    @Test
    void captionsAreTheLibraryApisCaption() throws Exception {
        try (ZooModel<Image, String> model = SeqVisionCriteria.captions(modelDir).build().loadModel();
                Predictor<Image, String> predictor = model.newPredictor()) {
            List<String> batch = predictor.batchPredict(IMAGES.stream().map(AllTasksCriteriaTest::djl).toList());
            for (int i = 0; i < IMAGES.size(); i++) {
                String expected = reference.caption(IMAGES.get(i));
                assertEquals(expected, predictor.predict(djl(IMAGES.get(i))));
                assertEquals(expected, batch.get(i));
            }
            assertTrue(!batch.get(0).isEmpty(), "an untrained model still says some words");
        }
    }

    @Test
    void aTranslatorRefusesABlockOfAnotherTask() throws Exception {
        try (ZooModel<Image, String> model = SeqVisionCriteria.captions(modelDir)
                .optTranslator(new SeqVisionTranslatorProbe()).build().loadModel();
                Predictor<Image, String> predictor = model.newPredictor()) {
            Exception e = assertThrows(Exception.class, () -> predictor.predict(djl(IMAGES.get(0))));
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            assertTrue(cause.getMessage().contains("keypoints") && cause.getMessage().contains("captioning"),
                    cause.getMessage());
        }
    }

    /** A pose translator typed as a caption one, to meet a captioning block. */
    private static final class SeqVisionTranslatorProbe extends SeqVisionTranslator<String> {
        SeqVisionTranslatorProbe() {
            super(TaskKind.KEYPOINTS);
        }

        @Override
        String read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices, List<double[]> keypoints,
                String caption) {
            return caption;
        }
    }
}
