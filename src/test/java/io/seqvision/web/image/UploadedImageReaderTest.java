package io.seqvision.web.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.web.WebFixtures;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadedImageReaderTest {

    /**
     * An upload is decoded from the bytes in memory: ImageIO's default stream would copy them into a
     * temporary file first (created and deleted for every request, in ImageIO's cache directory).
     */
    @Test
    void anUploadIsDecodedWithoutATemporaryFile(@TempDir Path cache) throws Exception {
        BufferedImage image = ApiFixtures.image(90, 70, 2);
        byte[] png = WebFixtures.encode(image, "png");
        File before = ImageIO.getCacheDirectory();
        boolean usedCache = ImageIO.getUseCache();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            cache.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            ImageIO.setUseCache(true);
            ImageIO.setCacheDirectory(cache.toFile());
            BufferedImage read = new UploadedImageReader(4096, 4096L * 4096).read(png);
            assertEquals(90, read.getWidth());
            assertEquals(image.getRGB(45, 35), read.getRGB(45, 35));
            WatchKey created = watch.poll(200, TimeUnit.MILLISECONDS);
            assertNull(created, () -> "files created while decoding: " + created.pollEvents().stream()
                    .map(e -> String.valueOf(e.context())).toList());
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(usedCache);
        }
    }
}
