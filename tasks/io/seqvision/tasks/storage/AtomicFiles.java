package io.seqvision.tasks.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes that either happen whole or not at all: content goes to a temporary sibling that is then
 * renamed over the target, so a crash leaves the old file (or nothing), never half a file.
 */
public final class AtomicFiles {

    /** Writes a stream's content. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Fills a fresh directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path directory) throws IOException;
    }

    private AtomicFiles() {}

    public static void writeString(Path target, String content) {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    public static void write(Path target, StreamWriter writer) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = parent.resolve(uniqueSiblingName(target));
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    writer.write(out);
                }
                move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a directory in a temporary sibling then renames it into place, replacing an existing
     * directory of that name.
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) {
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createDirectory(parent.resolve(uniqueSiblingName(target)));
            try {
                writer.write(temp);
                Path old = null;
                if (Files.exists(target)) {
                    old = parent.resolve(uniqueSiblingName(target) + "-old");
                    move(target, old);
                }
                move(temp, target);
                if (old != null) {
                    deleteRecursively(old);
                }
            } finally {
                if (Files.exists(temp)) {
                    deleteRecursively(temp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A hidden name next to the target, unique per thread and call. Not createTempFile: its
     * owner-only permissions would stick to the renamed result.
     */
    private static String uniqueSiblingName(Path target) {
        return "." + target.getFileName() + "." + Thread.currentThread().getId() + "." + System.nanoTime() + ".tmp";
    }

    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
