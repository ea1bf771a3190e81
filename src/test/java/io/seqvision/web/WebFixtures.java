package io.seqvision.web;

import io.seqvision.web.api.Box;
import io.seqvision.web.api.Caption;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.Keypoint;
import io.seqvision.web.api.KeypointLayout;
import io.seqvision.web.api.LearningCurves;
import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.Point;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.ReceptiveFieldSummary;
import io.seqvision.web.api.TokenSequence;
import io.seqvision.web.api.TokenSpan;
import io.seqvision.web.api.TokenView;
import io.seqvision.web.insight.ModelInsights;
import io.seqvision.web.insight.ReceptiveFieldMap;
import io.seqvision.web.service.Deadline;
import io.seqvision.web.service.InferenceService;
import io.seqvision.web.service.PredictionRequest;
import io.seqvision.web.service.WebTask;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Images, HTTP helpers and a scripted inference service for the web tests. */
public final class WebFixtures {

    /** Grey of the fake service's test image. */
    public static final Color GREY = new Color(200, 200, 200);

    private WebFixtures() {}

    /** Encodes an image in a format ImageIO writes ("png", "jpg", "gif", "bmp"). */
    public static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A uniformly grey RGB image. */
    public static BufferedImage grey(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(GREY);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** A small HTTP client for the server under test. */
    public record Http(HttpClient client, String base) {

        public static Http of(int port) {
            return new Http(HttpClient.newHttpClient(), "http://127.0.0.1:" + port);
        }

        public HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        }

        public HttpResponse<byte[]> getBytes(String path) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        public HttpResponse<String> post(String path, byte[] body, String contentType) {
            return send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        }

        public HttpResponse<String> send(HttpRequest request) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A multipart/form-data body with an {@code image} file field and text fields. */
    public static HttpRequest.BodyPublisher multipart(String boundary, byte[] image, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (int i = 0; i + 1 < fields.length; i += 2) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
                        + fields[i + 1] + "\r\n").getBytes());
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").getBytes());
            out.write(image);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }

    /**
     * A service that answers every task with fixed results for a 320 x 240 image: a square (class
     * 0) with a mask, a person (class 3) with keypoints, and a caption; it records the tasks asked
     * for. The drawing tests check pixels at these coordinates.
     */
    public static final class ScriptedService implements InferenceService {

        public static final Box SQUARE_BOX = new Box(40, 30, 140, 120);
        public static final List<Point> SQUARE_MASK =
                List.of(new Point(50, 40), new Point(130, 40), new Point(130, 110), new Point(50, 110));
        public static final Box PERSON_BOX = new Box(170, 20, 290, 220);
        public static final String CAPTION = "a red square next to a person";

        private final List<String> tasks;
        private volatile List<WebTask> lastTasks = List.of();

        public ScriptedService(List<String> tasks) {
            this.tasks = List.copyOf(tasks);
        }

        public List<WebTask> lastTasks() {
            return lastTasks;
        }

        @Override
        public ModelDescription describe() {
            return new ModelDescription("scripted", "convnext-tiny", 64, List.of("square", "disc", "triangle", "person"),
                    tasks, new DecodingView("greedy", 1, 10, 0.4, 0), 42);
        }

        /** Keypoint {@code i} of the person: on a grid inside its box; the left wrist (9) unlabelled. */
        public static Keypoint keypoint(int i) {
            return new Keypoint(190 + 20 * (i % 5), 40 + 40 * (i / 5), i == 9 ? 0 : (i % 2 == 0 ? 2 : 1));
        }

        @Override
        public Prediction predict(PredictionRequest request, Deadline deadline) {
            deadline.check();
            lastTasks = request.tasks();
            boolean masks = request.tasks().contains(WebTask.SEGMENTATION);
            boolean keypoints = request.tasks().contains(WebTask.KEYPOINTS);
            boolean caption = request.tasks().contains(WebTask.CAPTIONING);
            List<TokenSequence> sequences = new ArrayList<>();
            List<TokenView> detection = new ArrayList<>();
            detection.add(new TokenView(10, "prompt", "detect", null));
            for (int i = 0; i < 10; i++) {
                detection.add(i % 5 == 4 ? new TokenView(30, "class", i < 5 ? "square" : "person", 0.9)
                        : new TokenView(40 + i, "coordinate", "c" + i, 0.8));
            }
            detection.add(new TokenView(1, "end", "EOS", null));
            sequences.add(new TokenSequence("detection", detection, true));
            List<TokenSpan> squareSpans = new ArrayList<>(List.of(new TokenSpan(0, 1, 6)));
            List<TokenSpan> personSpans = new ArrayList<>(List.of(new TokenSpan(0, 6, 11)));
            if (masks) {
                squareSpans.add(new TokenSpan(sequences.size(), 6, 14));
                sequences.add(new TokenSequence("segmentation", tokens(11, 14), true));
            }
            if (keypoints) {
                personSpans.add(new TokenSpan(sequences.size(), 5, 39));
                sequences.add(new TokenSequence("keypoints", tokens(12, 39), true));
            }
            Caption text = null;
            if (caption) {
                text = new Caption(CAPTION, List.of(new TokenSpan(sequences.size(), 1, 7)));
                sequences.add(new TokenSequence("captioning", tokens(13, 7), true));
            }
            List<Keypoint> points = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                points.add(keypoint(i));
            }
            List<PredictedObject> objects = List.of(
                    new PredictedObject(0, "square", 0, 0.93, SQUARE_BOX, masks ? List.of(SQUARE_MASK) : null, null,
                            squareSpans),
                    new PredictedObject(1, "person", 3, 0.81, PERSON_BOX, null, keypoints ? points : null,
                            personSpans));
            return new Prediction("scripted", request.image().getWidth(), request.image().getHeight(),
                    request.tasks().stream().map(WebTask::apiName).toList(), objects, text,
                    keypoints ? KeypointLayout.COCO : null, sequences, new DecodingView("greedy", 1, 10, 0.4, 0), 1.5);
        }

        private static List<TokenView> tokens(int prompt, int count) {
            List<TokenView> tokens = new ArrayList<>();
            tokens.add(new TokenView(prompt, "prompt", "p", null));
            for (int i = 1; i < count; i++) {
                tokens.add(new TokenView(100 + i, "coordinate", "c" + i, 0.5));
            }
            return tokens;
        }
    }

    /** Insights with a tiny ERF map and a three-point curve. */
    public static ModelInsights scriptedInsights() {
        BufferedImage heat = grey(8, 8);
        ReceptiveFieldMap erf = new ReceptiveFieldMap(
                new ReceptiveFieldSummary("convnext-tiny", 64, 4, 9, 17, 41), encode(heat, "png"));
        LearningCurves curves = new LearningCurves("memory", List.of("step", "loss", "learning_rate"),
                List.of(List.of(50.0, 5.2, 1e-4), List.of(100.0, 4.1, 2e-4), List.of(150.0, 3.3, 3e-4)));
        return new ModelInsights() {
            @Override
            public ReceptiveFieldMap receptiveField() {
                return erf;
            }

            @Override
            public LearningCurves learningCurves() {
                return curves;
            }
        };
    }
}
