package io.seqvision.encoder.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.seqvision.encoder.convnext.ConvNeXt;
import io.seqvision.encoder.convnext.ConvNeXtVariants;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that must be refused, each with an error naming the file and, where one is at fault, the tensor. */
class CheckpointSafetyTest {

    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    /** A pickle (protocol 2) of {@code posix.system("touch <marker>")}, as a torch.save archive. */
    private static void writeMaliciousPth(Path file, Path marker, boolean stackGlobal) throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, stackGlobal ? (byte) 4 : (byte) 2});
        if (stackGlobal) {
            writeShortUnicode(pickle, "posix");
            writeShortUnicode(pickle, "system");
            pickle.write(0x93); // STACK_GLOBAL
        } else {
            pickle.write("cposix\nsystem\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        }
        byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        pickle.write('X'); // BINUNICODE
        pickle.write(new byte[] {(byte) command.length, 0, 0, 0});
        pickle.write(command);
        pickle.write(0x85); // TUPLE1
        pickle.write('R'); // REDUCE: call posix.system(command)
        pickle.write('.');
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle.toByteArray());
            zip.closeEntry();
        }
    }

    private static void writeShortUnicode(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x8c);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    @Test
    void picklesCallingSystemAreRefusedByNameAndNothingRuns(@TempDir Path dir) {
        for (boolean stackGlobal : new boolean[] {false, true}) {
            Path file = dir.resolve("evil" + stackGlobal + ".pth");
            Path marker = dir.resolve("ran" + stackGlobal);
            assertDoesNotThrowIo(() -> writeMaliciousPth(file, marker, stackGlobal));
            CheckpointException error = assertThrows(CheckpointException.class, () -> Checkpoints.read(file));
            assertTrue(error.getMessage().contains("posix.system") && error.getMessage().contains(file.toString()),
                    error.getMessage());
            assertFalse(Files.exists(marker), "the pickle's command ran");
        }
    }

    @Test
    void legacyFormatGetsHowToResave(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("old.pth");
        Files.write(file, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, 0, 0});
        String message = assertThrows(CheckpointException.class, () -> Checkpoints.read(file)).getMessage();
        assertTrue(message.contains("legacy") && message.contains("torch.save") && message.contains("old.pth"), message);
    }

    @Test
    void truncatedPthNamesFileAndTensor(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(OfficialParityTest.FIXTURES.resolve("convnext.pth"));
        Path file = dir.resolve("cut.pth");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            String message = assertThrows(CheckpointException.class,
                    () -> CheckpointImporter.load(file, model, HeadPolicy.KEEP)).getMessage();
            assertTrue(message.contains("cut.pth") && message.contains("tensor '") && message.contains("truncated"),
                    message);
        }
    }

    @Test
    void truncatedSafetensorsNamesFileAndTensor(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(OfficialParityTest.FIXTURES.resolve("convnext.safetensors"));
        Path file = dir.resolve("cut.safetensors");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 1000));
        String message = assertThrows(CheckpointException.class, () -> Checkpoints.read(file)).getMessage();
        assertTrue(message.contains("cut.safetensors") && message.contains("tensor '") && message.contains("truncated"),
                message);
    }

    @Test
    void wrongShapeNamesFileAndTensorAndChangesNothing(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt wider = ConvNeXt.builder().setDepths(1, 1, 1, 1).setDims(16, 32, 48, 80).optNumClasses(10).build();
            wider.initialize(manager, DataType.FLOAT32, INPUT);
            float[] before = wider.officialParameters().get("stages.0.0.dwconv.weight").getArray().toFloatArray();
            Path file = OfficialParityTest.FIXTURES.resolve("convnext.pth");
            String message = assertThrows(CheckpointException.class,
                    () -> CheckpointImporter.load(file, wider, HeadPolicy.KEEP)).getMessage();
            assertTrue(message.contains("convnext.pth") && message.contains("has shape") && message.contains("tensor 'downsample_layers.3.1."),
                    message);
            assertArrayEquals(before, wider.officialParameters().get("stages.0.0.dwconv.weight").getArray().toFloatArray());
        }
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tiny();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            Path file = dir.resolve("partial.safetensors");
            NDList tensors = new NDList();
            for (Map.Entry<String, Parameter> entry : model.officialParameters().entrySet()) {
                if (!entry.getKey().equals("stages.2.0.gamma")) {
                    NDArray copy = entry.getValue().getArray().duplicate();
                    copy.setName(entry.getKey());
                    tensors.add(copy);
                }
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                tensors.encode(out, NDList.Encoding.SAFETENSORS);
            }
            String message = assertThrows(CheckpointException.class,
                    () -> CheckpointImporter.load(file, model, HeadPolicy.DROP)).getMessage();
            assertTrue(message.contains("partial.safetensors") && message.contains("stages.2.0.gamma"), message);
        }
    }

    @Test
    void headIsDroppedOrKeptAsAsked() throws IOException {
        Path file = OfficialParityTest.FIXTURES.resolve("convnext.pth");
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt headless = ConvNeXtVariants.tiny();
            headless.initialize(manager, DataType.FLOAT32, INPUT);
            ImportReport report = CheckpointImporter.load(file, headless, HeadPolicy.DROP);
            assertTrue(report.droppedHead().containsAll(java.util.List.of("head.weight", "norm.bias")), report.summary());
            assertTrue(report.unused().isEmpty(), report.summary());
            String message = assertThrows(CheckpointException.class,
                    () -> CheckpointImporter.load(file, headless, HeadPolicy.KEEP)).getMessage();
            assertTrue(message.contains("head") && message.contains("convnext.pth"), message);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void assertDoesNotThrowIo(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
