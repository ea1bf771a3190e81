package io.seqvision.encoder.checkpoint;

import io.seqvision.encoder.checkpoint.RestrictedUnpickler.RefusedGlobalException;
import io.seqvision.encoder.checkpoint.RestrictedUnpickler.StorageRef;
import io.seqvision.encoder.checkpoint.RestrictedUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        try (ZipFile zip = open(file)) {
            String prefix = archivePrefix(file, zip);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    if (new String(in.readAllBytes()).trim().equals("big")) {
                        order = ByteOrder.BIG_ENDIAN;
                    }
                }
            }
            Object root;
            try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                root = new RestrictedUnpickler().load(in);
            } catch (RefusedGlobalException e) {
                throw new CheckpointException(file + ": " + e.getMessage(), e);
            } catch (PickleException | ClassCastException e) {
                throw new CheckpointException(file + ": cannot read data.pkl: " + e.getMessage(), e);
            }
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(prefix + "data/") && !entry.isDirectory()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        byte[] bytes = in.readAllBytes();
                        storages.put(
                                name.substring(prefix.length() + 5),
                                ByteBuffer.wrap(bytes).order(order));
                    } catch (ZipException | java.io.EOFException e) {
                        throw new CheckpointException(
                                file + ": storage " + name + " cannot be read (file truncated?)", e);
                    }
                }
            }
            return root;
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(
                    file
                            + " is not a complete torch.save zip archive ("
                            + e.getMessage()
                            + "); the file may be truncated",
                    e);
        }
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
                        throw new IOException("storage data/" + storage.key() + " is missing");
                    }
                    return bytes;
                });
    }
}
