package io.seqvision.encoder.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a checkpoint file into an encoder: reads it ({@link Checkpoints#read}), renames its tensors
 * by the family's {@link RenameTable}, and sets the model's parameters. Every check runs before
 * the first parameter changes, so a failed load leaves the model as it was.
 */
public final class CheckpointImporter {

    private static final int NAMES_SHOWN = 10;

    private CheckpointImporter() {}

    /**
     * Loads {@code file} into {@code model} (initialised).
     *
     * @throws CheckpointException naming the file, and the tensor where one is at fault: file
     *     unreadable or refused, a tensor the model needs missing, a tensor of another shape or a
     *     non-floating type, two file tensors naming one parameter, or a head kept that the model
     *     lacks
     */
    public static ImportReport load(Path file, OfficialCheckpoint model, HeadPolicy head)
            throws IOException {
        return load(Checkpoints.read(file), model.officialParameters(), model.checkpointNames(), head);
    }

    /** Loads an already read state dict into {@code targets} (model name to parameter). */
    public static ImportReport load(
            StateDict stateDict, Map<String, Parameter> targets, RenameTable names, HeadPolicy head)
            throws IOException {
        Path file = stateDict.file();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        List<String> renamed = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        for (String name : stateDict.tensors().keySet()) {
            if (name.endsWith("num_batches_tracked")) {
                continue;
            }
            String modelName = names.rename(name);
            if (!modelName.equals(name)) {
                renamed.add(name + " -> " + modelName);
            }
            if (head == HeadPolicy.DROP && names.isHead(modelName)) {
                dropped.add(name);
            } else if (targets.containsKey(modelName)) {
                String other = sourceOf.put(modelName, name);
                if (other != null) {
                    throw new CheckpointException(
                            file + ": tensors '" + other + "' and '" + name + "' both map to '" + modelName + "'");
                }
            } else if (head == HeadPolicy.KEEP && names.isHead(modelName)) {
                throw new CheckpointException(
                        file + ": the head tensor '" + name + "' was asked to be kept but the model has no"
                                + " parameter '" + modelName + "' (build the model with a head of the"
                                + " checkpoint's classes, or drop the head)");
            } else {
                unused.add(name);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String target : targets.keySet()) {
            if (!sourceOf.containsKey(target) && !(head == HeadPolicy.DROP && names.isHead(target))) {
                missing.add(target);
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(
                    file + " lacks " + missing.size() + " tensor(s) the model needs: " + shortList(missing)
                            + (stateDict.wrapperKey() == null ? "" : " (read under '" + stateDict.wrapperKey() + "')"));
        }
        Map<String, String> inModelOrder = new LinkedHashMap<>();
        for (String target : targets.keySet()) {
            if (sourceOf.containsKey(target)) {
                inModelOrder.put(target, sourceOf.get(target));
            }
        }
        sourceOf = inModelOrder;
        for (Map.Entry<String, String> entry : sourceOf.entrySet()) {
            CheckpointTensor tensor = stateDict.tensors().get(entry.getValue());
            Shape expected = targets.get(entry.getKey()).getArray().getShape();
            if (!new Shape(tensor.shape()).equals(expected)) {
                throw new CheckpointException(
                        file + ": tensor '" + entry.getValue() + "' has shape " + new Shape(tensor.shape())
                                + " but the model's '" + entry.getKey() + "' is " + expected);
            }
            if (!tensor.type().isFloating()) {
                throw new CheckpointException(
                        file + ": tensor '" + entry.getValue() + "' has type " + tensor.type()
                                + ", expected a floating type");
            }
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sourceOf.entrySet()) {
            try {
                values.put(entry.getKey(), stateDict.tensors().get(entry.getValue()).toFloats());
            } catch (IOException e) {
                throw new CheckpointException(
                        file + ": tensor '" + entry.getValue() + "' cannot be read: " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, float[]> entry : values.entrySet()) {
            NDArray current = targets.get(entry.getKey()).getArray();
            try (NDManager scratch = current.getManager().newSubManager()) {
                NDArray loaded = scratch.create(entry.getValue(), current.getShape());
                current.set(loaded.toType(current.getDataType(), false).toByteBuffer());
            }
        }
        Collections.sort(unused);
        return new ImportReport(file, stateDict.wrapperKey(), values.size(), renamed, dropped, unused);
    }

    private static String shortList(List<String> names) {
        if (names.size() <= NAMES_SHOWN) {
            return String.valueOf(names);
        }
        return names.subList(0, NAMES_SHOWN) + " and " + (names.size() - NAMES_SHOWN) + " more";
    }
}
