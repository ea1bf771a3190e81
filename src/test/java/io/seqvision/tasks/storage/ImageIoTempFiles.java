package io.seqvision.tasks.storage;

import java.io.File;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * The files ImageIO creates in its cache directory while some work runs: its default streams over
 * in-memory bytes copy them into such a temporary file (deleted again on close, so only watching
 * the directory sees it).
 */
public final class ImageIoTempFiles {

    /** Work that reads or writes images. */
    @FunctionalInterface
    public interface ImageWork {
        void run() throws Exception;
    }

    private ImageIoTempFiles() {}

    /** The names of the files created in ImageIO's cache directory while {@code work} ran. */
    public static List<String> createdDuring(ImageWork work) throws Exception {
        Path cache = Files.createTempDirectory("imageio-cache");
        File before = ImageIO.getCacheDirectory();
        boolean usedCache = ImageIO.getUseCache();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            cache.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            ImageIO.setUseCache(true);
            ImageIO.setCacheDirectory(cache.toFile());
            work.run();
            WatchKey created = watch.poll(200, TimeUnit.MILLISECONDS);
            return created == null ? List.of()
                    : created.pollEvents().stream().map(event -> String.valueOf(event.context())).toList();
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(usedCache);
            AtomicFiles.deleteRecursively(cache);
        }
    }
}
