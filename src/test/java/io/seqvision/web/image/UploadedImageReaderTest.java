package io.seqvision.web.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.storage.ImageIoTempFiles;
import io.seqvision.web.WebFixtures;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadedImageReaderTest {

    /**
     * An upload is decoded from the bytes in memory: ImageIO's default stream would copy them into a
     * temporary file first (created and deleted for every request, in ImageIO's cache directory).
     */
    @Test
    void anUploadIsDecodedWithoutATemporaryFile() throws Exception {
        BufferedImage image = ApiFixtures.image(90, 70, 2);
        byte[] png = WebFixtures.encode(image, "png");
        BufferedImage[] read = new BufferedImage[1];
        List<String> created = ImageIoTempFiles.createdDuring(
                () -> read[0] = new UploadedImageReader(4096, 4096L * 4096).read(png));
        assertEquals(List.of(), created, "files created while decoding");
        assertEquals(90, read[0].getWidth());
        assertEquals(image.getRGB(45, 35), read[0].getRGB(45, 35));
    }
}
