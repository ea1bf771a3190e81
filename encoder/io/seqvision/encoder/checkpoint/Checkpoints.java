package io.seqvision.encoder.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.encoder.checkpoint.RestrictedUnpickler.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the state dict of a checkpoint file as users have them: {@code torch.save} zip archives
 * ({@code .pth}, {@code .pt}, {@code .bin}) and safetensors, told apart by their first bytes, not
 * their names. A state dict wrapped in a dictionary under {@code model}, {@code state_dict} or
 * {@code model_ema} (as the official training scripts save them) is unwrapped, and the key used is
 * reported. Pickles are read by {@link RestrictedUnpickler}: nothing in a file is executed.
 */
public final class Checkpoints {

    /** Keys under which training scripts store the model's state dict, in the order tried. */
    public static final List<String> WRAPPER_KEYS = List.of("model", "state_dict", "model_ema");

    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private Checkpoints() {}

    /**
     * Reads the state dict in {@code file}. Tensor values are read when asked for.
     *
     * @throws CheckpointException naming the file if it is missing, truncated, of an unknown or
     *     legacy format, asks for a global outside a state dict's, or holds no state dict
     */
    public static StateDict read(Path file) throws IOException {
        byte[] head = new byte[16];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new CheckpointException("checkpoint file " + file + " does not exist", e);
        }
        if (read >= 4 && startsWith(head, ZIP_MAGIC)) {
            return readTorchZip(file);
        }
        if (read >= 2 && (head[0] & 0xff) == 0x80) {
            throw new CheckpointException(
                    file
                            + " is in PyTorch's legacy (pre-1.6, non-zip) torch.save format, which is"
                            + " not read; re-save it with PyTorch >= 1.6: torch.save(torch.load(old,"
                            + " weights_only=True), new) writes the zip format (or save it as"
                            + " safetensors)");
        }
        if (read >= 9 && head[8] == '{') {
            return readSafetensors(file);
        }
        throw new CheckpointException(
                file + " is neither a torch.save zip archive nor a safetensors file");
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static StateDict readTorchZip(Path file) throws IOException {
        Map<String, ByteBuffer> storages = new HashMap<>();
        Object root = TorchZipReader.readPickle(file, storages);
        String wrapperKey = null;
        Map<?, ?> dict = asMap(file, root);
        if (!holdsTensors(dict)) {
            for (String key : WRAPPER_KEYS) {
                Object inner = dict.get(key);
                if (inner instanceof Map && holdsTensors((Map<?, ?>) inner)) {
                    wrapperKey = key;
                    dict = (Map<?, ?>) inner;
                    break;
                }
            }
            if (wrapperKey == null) {
                throw new CheckpointException(
                        file
                                + " holds no state dict: its top-level keys are "
                                + dict.keySet()
                                + " and none of "
                                + WRAPPER_KEYS
                                + " holds tensors");
            }
        }
        Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : dict.entrySet()) {
            if (entry.getValue() instanceof TensorRef) {
                String name = String.valueOf(entry.getKey());
                tensors.put(name, TorchZipReader.tensor(file, name, (TensorRef) entry.getValue(), storages));
            }
        }
        return new StateDict(file, wrapperKey, tensors);
    }

    private static Map<?, ?> asMap(Path file, Object root) throws CheckpointException {
        if (!(root instanceof Map)) {
            throw new CheckpointException(
                    file + " holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                            + ", not a state dict");
        }
        return (Map<?, ?>) root;
    }

    private static boolean holdsTensors(Map<?, ?> dict) {
        for (Object value : dict.values()) {
            if (value instanceof TensorRef) {
                return true;
            }
        }
        return false;
    }

    private static StateDict readSafetensors(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || 8 + headerLength > fileSize) {
                throw new CheckpointException(
                        file + ": safetensors header of " + headerLength + " bytes does not fit in a file of "
                                + fileSize + " bytes (file truncated?)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            channel.read(headerBytes, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(headerBytes.array());
            } catch (IOException e) {
                throw new CheckpointException(file + ": safetensors header is not valid JSON", e);
            }
            long dataStart = 8 + headerLength;
            ByteBuffer data =
                    channel.map(FileChannel.MapMode.READ_ONLY, dataStart, fileSize - dataStart)
                            .order(ByteOrder.LITTLE_ENDIAN);
            Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    continue;
                }
                String name = field.getKey();
                JsonNode info = field.getValue();
                TensorType type = safetensorsType(file, name, info.path("dtype").asText());
                List<Long> shape = new ArrayList<>();
                info.path("shape").forEach(dim -> shape.add(dim.asLong()));
                long begin = info.path("data_offsets").path(0).asLong();
                long end = info.path("data_offsets").path(1).asLong();
                long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
                if (end > data.limit() || begin > end) {
                    throw new CheckpointException(
                            file + ": tensor '" + name + "' lies at bytes " + begin + ".." + end
                                    + " but the data section has " + data.limit() + " (file truncated?)");
                }
                ByteBuffer slice = data.duplicate().position((int) begin).limit((int) end).slice()
                        .order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(name, CheckpointTensor.contiguous(type, dims, () -> slice));
            }
            return new StateDict(file, null, tensors);
        }
    }

    private static TensorType safetensorsType(Path file, String name, String dtype)
            throws CheckpointException {
        switch (dtype) {
            case "F32":
                return TensorType.FLOAT32;
            case "F16":
                return TensorType.FLOAT16;
            case "BF16":
                return TensorType.BFLOAT16;
            case "F64":
                return TensorType.FLOAT64;
            case "I64":
                return TensorType.INT64;
            case "I32":
                return TensorType.INT32;
            case "I16":
                return TensorType.INT16;
            case "I8":
                return TensorType.INT8;
            case "U8":
                return TensorType.UINT8;
            case "BOOL":
                return TensorType.BOOL;
            default:
                throw new CheckpointException(
                        file + ": tensor '" + name + "' has unsupported dtype " + dtype);
        }
    }
}
