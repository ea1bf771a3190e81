package io.seqvision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.web.WebFixtures.Http;
import io.seqvision.web.WebFixtures.ScriptedService;
import io.seqvision.web.api.Keypoint;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.RunInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.SeqVisionInferenceService;
import io.seqvision.web.service.WebTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium: upload an image, wait for the overlay, check what was
 * drawn pixel by pixel, hover tokens. Screenshots go to {@code target/web-e2e/}.
 */
class WebPageEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "web-e2e");

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void masksKeypointsAndCaptionsAreDrawnAndTokensHighlightTheirObject() throws Exception {
        ScriptedService service = new ScriptedService(WebTask.names());
        Path upload = dir.resolve("grey.png");
        Files.write(upload, WebFixtures.encode(WebFixtures.grey(320, 240), "png"));
        try (WebServer server = WebServer.start("127.0.0.1", 0, service, WebFixtures.scriptedInsights(),
                SampleImages.generate(3), ServerLimits.defaults());
                HeadlessChromium chromium = HeadlessChromium.start(1400, 1250)) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get("http://127.0.0.1:" + server.port() + "/");

            WebElement canvas = driver.findElement(By.id("overlay"));
            wait.until(d -> "sample-1.png".equals(canvas.getDomAttribute("data-source"))
                    && "done".equals(canvas.getDomAttribute("data-state")));
            assertEquals(4, driver.findElements(By.cssSelector("#tasks input[name=task]:checked")).size(),
                    "every task the model has is selected");
            assertEquals(List.of(WebTask.values()), service.lastTasks(), "the first sample was analysed with all of them");
            assertTrue(driver.findElement(By.cssSelector("#samples button[data-sample='sample-1.png']"))
                    .getDomAttribute("class").contains("active"));
            assertTrue(driver.findElement(By.id("caption")).isDisplayed(), "the caption shows without a click");

            driver.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
            wait.until(d -> "upload".equals(canvas.getDomAttribute("data-source"))
                    && "done".equals(canvas.getDomAttribute("data-state")));
            assertEquals(List.of(WebTask.values()), service.lastTasks(), "the checked tasks were asked for");
            assertEquals("2", canvas.getDomAttribute("data-objects"));

            int[] square = rgb(palette(driver, 0));
            int[] person = rgb(palette(driver, 3));
            assertPixel(driver, 40, 75, square, 0, "the square's left edge in its class colour");
            assertPixel(driver, 90, 75, blend(new int[] {200, 200, 200}, square, 0.35), 3, "the mask, translucent");
            assertPixel(driver, 45, 115, new int[] {200, 200, 200}, 0, "inside the box, outside the mask: untouched");
            assertPixel(driver, 170, 150, person, 0, "the person's left edge");
            Keypoint nose = ScriptedService.keypoint(0);
            assertPixel(driver, (int) nose.x(), (int) nose.y(), rgb(keypointColour(driver)), 0, "a visible keypoint");
            Keypoint eye = ScriptedService.keypoint(1);
            assertPixel(driver, (int) eye.x(), (int) eye.y(), new int[] {255, 255, 255}, 0, "a hidden keypoint, in white");
            Keypoint wrist = ScriptedService.keypoint(9);
            assertPixel(driver, (int) wrist.x(), (int) wrist.y(), new int[] {200, 200, 200}, 0, "an unlabelled keypoint: not drawn");
            int[] bone = pixel(driver, 200, 80);
            assertTrue(distance(bone, new int[] {200, 200, 200}) > 40 && bone[0] > bone[2],
                    "the bone between shoulders is drawn in the person's colour: " + java.util.Arrays.toString(bone));

            WebElement caption = driver.findElement(By.id("caption"));
            assertTrue(caption.isDisplayed());
            assertEquals(ScriptedService.CAPTION, caption.getText());
            List<WebElement> rows = driver.findElements(By.cssSelector("#objects tbody tr"));
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).getText().contains("square") && rows.get(0).getText().contains("mask: 1 polygon"),
                    rows.get(0).getText());
            assertTrue(rows.get(1).getText().contains("16 keypoints"), rows.get(1).getText());
            assertEquals(4, driver.findElements(By.cssSelector("#sequences .sequence")).size());
            assertEquals(2, driver.findElements(By.cssSelector(".group[data-object='1']")).size(),
                    "the person's detection tokens and its keypoint sequence");

            WebElement personTokens = driver.findElement(By.cssSelector(".group[data-object='1']"));
            new Actions(driver).moveToElement(personTokens).perform();
            wait.until(d -> "1".equals(canvas.getDomAttribute("data-highlight")));
            assertTrue(rows.get(1).getDomAttribute("class").contains("hl"), "its table row lights up too");
            assertNotEquals(List.of(square[0], square[1], square[2]), List.of(pixel(driver, 40, 75)[0],
                    pixel(driver, 40, 75)[1], pixel(driver, 40, 75)[2]), "the other object is dimmed");
            WebElement captionTokens = driver.findElement(By.cssSelector(".group[data-caption]"));
            new Actions(driver).moveToElement(captionTokens).perform();
            wait.until(d -> caption.getDomAttribute("class").contains("hl"));

            wait.until(d -> d.findElement(By.id("erf")).isDisplayed());
            wait.until(d -> "3".equals(d.findElement(By.id("curves")).getDomAttribute("data-points")));
            new Actions(driver).moveToElement(driver.findElement(By.cssSelector(".group[data-object='0']"))).perform();
            wait.until(d -> "0".equals(canvas.getDomAttribute("data-highlight")));
            screenshot(driver, "demo-all-tasks.png");
        }
    }

    @Test
    void aRealModelsDetectionsAppearAndBadFilesShowTheServersReason() throws Exception {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: temperature, temperature: 1.0}");
        Files.writeString(dir.resolve("metrics.csv"), "step,loss,learning_rate,images_per_second\n"
                + "50,5.2,1e-4,90\n100,4.6,2e-4,110\n150,4.1,3e-4,112\n200,3.8,3e-4,115\n");
        SampleImages samples = SampleImages.generate(3);
        try (SeqVisionInferenceService service = SeqVisionInferenceService.load(modelDir);
                WebServer server = WebServer.start("127.0.0.1", 0, service, new RunInsights(modelDir, samples.images()),
                        samples, ServerLimits.defaults());
                HeadlessChromium chromium = HeadlessChromium.start(1400, 1150)) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
            driver.get("http://127.0.0.1:" + server.port() + "/");

            wait.until(d -> d.findElements(By.cssSelector("#tasks input[name=task]")).size() == 1);
            assertEquals("detection", driver.findElement(By.cssSelector("#tasks input[name=task]")).getDomAttribute("value"),
                    "only the tasks the model supports are offered");
            wait.until(d -> d.findElements(By.cssSelector("#samples button")).size() == 3);
            WebElement canvas = driver.findElement(By.id("overlay"));
            wait.until(d -> "sample-1.png".equals(canvas.getDomAttribute("data-source"))
                    && "done".equals(canvas.getDomAttribute("data-state")));
            driver.findElements(By.cssSelector("#samples button")).get(1).click();
            wait.until(d -> "sample-2.png".equals(canvas.getDomAttribute("data-source"))
                    && "done".equals(canvas.getDomAttribute("data-state")));

            Http http = Http.of(server.port());
            JsonNode expected = JSON.readTree(http.post("/api/predict", samples.png("sample-2.png").orElseThrow(),
                    "image/png").body());
            int objects = expected.get("objects").size();
            assertEquals(String.valueOf(objects), canvas.getDomAttribute("data-objects"));
            assertEquals(objects, driver.findElements(By.cssSelector("#objects tbody tr")).size());
            assertEquals(expected.get("sequences").get(0).get("tokens").size(),
                    driver.findElements(By.cssSelector("#sequences .tok")).size());
            assertEquals(objects, driver.findElements(By.cssSelector(".group[data-object]")).size());
            assertEquals(expected.get("imageWidth").asInt(), ((Number) driver.executeScript(
                    "return document.getElementById('overlay').width")).intValue(), "drawn at the image's own size");
            wait.until(d -> d.findElement(By.id("erf")).isDisplayed());
            assertTrue(driver.findElement(By.id("erf-caption")).getText().contains("convnext-tiny"));
            wait.until(d -> "4".equals(d.findElement(By.id("curves")).getDomAttribute("data-points")));
            screenshot(driver, "demo-tiny-model.png");

            Path text = dir.resolve("notes.png");
            Files.writeString(text, "not an image at all");
            driver.findElement(By.id("file")).sendKeys(text.toAbsolutePath().toString());
            wait.until(d -> "upload".equals(canvas.getDomAttribute("data-source"))
                    && "error".equals(canvas.getDomAttribute("data-state")));
            String status = driver.findElement(By.id("status")).getText();
            assertTrue(status.startsWith("415") && status.contains("not an image format"), status);
        }
    }

    @Test
    void theShippedModelGreetsWithAnAnalysedSampleShowingEveryTask() throws Exception {
        Path model = SeqVisionModel.shippedModelDirectory();
        SampleImages samples = SampleImages.generate(6);
        try (SeqVisionInferenceService service = SeqVisionInferenceService.load(model);
                WebServer server = WebServer.start("127.0.0.1", 0, service, new RunInsights(model, samples.images()),
                        samples, ServerLimits.defaults());
                HeadlessChromium chromium = HeadlessChromium.start(1400, 1250)) {
            ChromeDriver driver = chromium.driver();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            driver.get("http://127.0.0.1:" + server.port() + "/");

            WebElement canvas = driver.findElement(By.id("overlay"));
            wait.until(d -> "sample-1.png".equals(canvas.getDomAttribute("data-source"))
                    && "done".equals(canvas.getDomAttribute("data-state")));
            List<WebElement> tasks = driver.findElements(By.cssSelector("#tasks input[name=task]"));
            assertEquals(4, tasks.size());
            assertTrue(tasks.stream().allMatch(WebElement::isSelected), "every task is selected");
            WebElement caption = driver.findElement(By.id("caption"));
            assertTrue(caption.isDisplayed() && caption.getText().contains("person"), caption.getText());
            List<WebElement> rows = driver.findElements(By.cssSelector("#objects tbody tr"));
            assertTrue(rows.size() >= 3, "the sample's objects are listed: " + rows.size());
            assertTrue(rows.stream().anyMatch(r -> r.getText().contains("mask:")), "masks are drawn");
            assertTrue(rows.stream().anyMatch(r -> r.getText().contains("person") && r.getText().contains("keypoints")),
                    "a person's skeleton is drawn");
            assertEquals(String.valueOf(rows.size()), canvas.getDomAttribute("data-objects"));
            wait.until(d -> d.findElement(By.id("erf")).isDisplayed());
            wait.until(d -> {
                String points = d.findElement(By.id("curves")).getDomAttribute("data-points");
                return points != null && Integer.parseInt(points) > 10;
            });
            screenshot(driver, "demo-shipped-model.png");
        }
    }

    private static String palette(ChromeDriver driver, int classIndex) {
        return (String) driver.executeScript("return window.seqvision.palette[arguments[0]]", classIndex);
    }

    private static String keypointColour(ChromeDriver driver) {
        return (String) driver.executeScript("return window.seqvision.keypointColour");
    }

    private static int[] rgb(String hex) {
        int value = Integer.parseInt(hex.substring(1), 16);
        return new int[] {value >> 16 & 0xff, value >> 8 & 0xff, value & 0xff};
    }

    private static int[] blend(int[] under, int[] over, double alpha) {
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (int) Math.round(under[c] * (1 - alpha) + over[c] * alpha);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static int[] pixel(ChromeDriver driver, int x, int y) {
        List<Number> rgba = (List<Number>) driver.executeScript(
                "return Array.from(document.getElementById('overlay').getContext('2d')"
                        + ".getImageData(arguments[0], arguments[1], 1, 1).data)", x, y);
        return new int[] {rgba.get(0).intValue(), rgba.get(1).intValue(), rgba.get(2).intValue()};
    }

    private static double distance(int[] a, int[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static void assertPixel(ChromeDriver driver, int x, int y, int[] expected, int tolerance, String what) {
        int[] actual = pixel(driver, x, y);
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(actual[c] - expected[c]) <= tolerance, what + " at (" + x + ", " + y + "): expected "
                    + java.util.Arrays.toString(expected) + ", got " + java.util.Arrays.toString(actual));
        }
    }

    private static void screenshot(ChromeDriver driver, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        driver.executeScript("window.scrollTo(0, 0)");
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
