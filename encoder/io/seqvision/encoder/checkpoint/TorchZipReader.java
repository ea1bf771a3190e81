package io.seqvision.encoder.checkpoint;

import io.seqvision.encoder.checkpoint.RestrictedUnpickler.RefusedGlobalException;
import io.seqvision.encoder.checkpoint.RestrictedUnpickler.StorageRef;
import io.seqvision.encoder.checkpoint.RestrictedUnpickler.TensorRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * Reads the zip format {@code torch.save} writes (PyTorch 1.6 and later): {@code
 * <archive>/data.pkl}, the pickled object, whose tensors point by key at raw storages {@code
 * <archive>/data/<key>}, in the byte order {@code <archive>/byteorder} names (little by default).
 * The storages are read when the loader asks for a tensor's values.
 */
final class TorchZipReader {

    private TorchZipReader() {}

    static Object readPickle(Path file, Map<String, ByteBuffer> storages) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            // No central directory: the file was cut short. Read the entries that are whole, so that
            // the tensors whose storages were lost can be named.
            return readTruncated(file, storages);
        }
        try (zip) {
            String prefix = archivePrefix(file, zip);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    if (new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().equals("big")) {
                        order = ByteOrder.BIG_ENDIAN;
                    }
                }
            }
            Object root;
            try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                root = unpickle(file, in);
            }
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(prefix + "data/") && !entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        storages.put(
                                name.substring(prefix.length() + 5),
                                ByteBuffer.wrap(in.readAllBytes()).order(order));
                    }
                }
            }
            return root;
        }
    }

    private static Object unpickle(Path file, InputStream in) throws IOException {
        try {
            return new RestrictedUnpickler().load(in);
        } catch (RefusedGlobalException e) {
            throw new CheckpointException(file + ": " + e.getMessage(), e);
        } catch (PickleException | ClassCastException e) {
            throw new CheckpointException(file + ": cannot read data.pkl: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the whole entries of a zip whose end (the central directory) is lost. torch.save writes
     * stored entries whose sizes follow their data in a descriptor, so each entry's end is found by
     * the descriptor whose size field matches the bytes before it.
     */
    private static Object readTruncated(Path file, Map<String, ByteBuffer> storages) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        Object root = null;
        int at = 0;
        while (at + 30 <= bytes.limit() && bytes.getInt(at) == LOCAL_HEADER) {
            int nameLength = bytes.getShort(at + 26) & 0xffff;
            int extraLength = bytes.getShort(at + 28) & 0xffff;
            int start = at + 30 + nameLength + extraLength;
            if (start > bytes.limit()) {
                break;
            }
            String name = new String(bytes.array(), at + 30, nameLength, StandardCharsets.UTF_8);
            int end = dataEnd(bytes, at, start);
            if (end < 0) {
                break;
            }
            byte[] data = java.util.Arrays.copyOfRange(bytes.array(), start, end);
            int slash = name.indexOf('/');
            String local = slash < 0 ? name : name.substring(slash + 1);
            if (local.equals("data.pkl")) {
                root = unpickle(file, new ByteArrayInputStream(data));
            } else if (local.startsWith("data/")) {
                storages.put(local.substring(5), ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN));
            }
            at = nextHeader(bytes, end);
        }
        if (root == null) {
            throw new CheckpointException(
                    file + " is not a complete torch.save zip archive: it ends before its data.pkl"
                            + " (file truncated?)");
        }
        return root;
    }

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int DESCRIPTOR = 0x08074b50;

    /** Where the data of the entry whose header is at {@code header} ends; -1 if cut off. */
    private static int dataEnd(ByteBuffer bytes, int header, int start) {
        int flags = bytes.getShort(header + 6) & 0xffff;
        if ((flags & 8) == 0) {
            long size = bytes.getInt(header + 18) & 0xffffffffL;
            return start + size <= bytes.limit() ? (int) (start + size) : -1;
        }
        for (int p = start; p + 16 <= bytes.limit(); p++) {
            if (bytes.getInt(p) == DESCRIPTOR
                    && ((bytes.getInt(p + 8) & 0xffffffffL) == p - start
                            || (p + 24 <= bytes.limit() && bytes.getLong(p + 8) == p - start))) {
                return p;
            }
        }
        return -1;
    }

    /** The offset after the data descriptor (32- or 64-bit sizes) that starts at {@code end}. */
    private static int nextHeader(ByteBuffer bytes, int end) {
        if (end + 4 <= bytes.limit() && bytes.getInt(end) != DESCRIPTOR) {
            return end;
        }
        int after32 = end + 16;
        if (after32 + 4 <= bytes.limit() && bytes.getInt(after32) == LOCAL_HEADER) {
            return after32;
        }
        return end + 24;
    }

    private static String archivePrefix(Path file, ZipFile zip) throws CheckpointException {
        for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
            String name = entries.nextElement().getName();
            if (name.endsWith("data.pkl") && name.indexOf('/') == name.length() - 9) {
                return name.substring(0, name.length() - 8);
            }
        }
        throw new CheckpointException(file + " is a zip file without <archive>/data.pkl, not a torch.save checkpoint");
    }

    /** Turns the unpickled tensor descriptions into tensors reading their storages. */
    static CheckpointTensor tensor(Path file, String name, TensorRef ref, Map<String, ByteBuffer> storages) {
        StorageRef storage = ref.storage();
        return new CheckpointTensor(
                storage.type(),
                ref.shape(),
                ref.offset(),
                ref.strides(),
                () -> {
                    ByteBuffer bytes = storages.get(storage.key());
                    if (bytes == null) {
                        throw new IOException("its storage data/" + storage.key() + " is not in the file (file truncated?)");
                    }
                    return bytes;
                });
    }
}
