package io.seqvision.encoder.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.util.Pair;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a block tree to PyTorch state-dict names and loads official weights saved as safetensors.
 *
 * <p>Names: a child named {@code pw1} (DJL stores it as {@code 02pw1}) adds {@code pw1.} to the
 * prefix; a parameter keeps its name, except in norms, where DJL's {@code gamma}, {@code beta},
 * {@code runningMean}, {@code runningVar} are PyTorch's {@code weight}, {@code bias}, {@code
 * running_mean}, {@code running_var}. So blocks whose child names are the official module names
 * map with no further table.
 */
public final class OfficialWeights {

    private OfficialWeights() {}

    /** Adds every parameter of {@code block} under {@code prefix} + its official name. */
    public static void collect(String prefix, Block block, Map<String, Parameter> into) {
        boolean norm =
                block instanceof BatchNorm
                        || block instanceof LayerNorm
                        || block instanceof ChannelsFirstLayerNorm;
        for (Pair<String, Parameter> pair : block.getDirectParameters()) {
            String name = norm ? normName(pair.getKey()) : pair.getKey();
            Parameter previous = into.put(prefix + name, pair.getValue());
            if (previous != null) {
                throw new IllegalStateException("two parameters map to " + prefix + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(prefix + stripIndex(child.getKey()) + ".", child.getValue(), into);
        }
    }

    /**
     * Sets the parameters in {@code targets} (official name to parameter, all initialised) from a
     * safetensors file holding a PyTorch state dict. Tensors of any floating type are converted to
     * the parameter's type. PyTorch's {@code num_batches_tracked} counters are skipped.
     *
     * @return the names in the file that no target takes (for example a head the model lacks),
     *     sorted
     * @throws IOException if the file cannot be read or parsed
     * @throws IllegalArgumentException naming the file and tensor if a target is missing from the
     *     file or has another shape; nothing is changed in that case
     */
    public static List<String> load(Path file, Map<String, Parameter> targets) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList tensors;
            try {
                tensors = NDList.decode(manager, in);
            } catch (IllegalArgumentException e) {
                throw new IOException("cannot read safetensors file " + file, e);
            }
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray tensor : tensors) {
                byName.put(tensor.getName(), tensor);
            }
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, Parameter> target : targets.entrySet()) {
                NDArray tensor = byName.get(target.getKey());
                if (tensor == null) {
                    missing.add(target.getKey());
                    continue;
                }
                NDArray current = target.getValue().getArray();
                if (!tensor.getShape().equals(current.getShape())) {
                    throw new IllegalArgumentException(
                            file
                                    + ": tensor '"
                                    + target.getKey()
                                    + "' has shape "
                                    + tensor.getShape()
                                    + " but the model expects "
                                    + current.getShape());
                }
                if (!tensor.getDataType().isFloating()) {
                    throw new IllegalArgumentException(
                            file
                                    + ": tensor '"
                                    + target.getKey()
                                    + "' has type "
                                    + tensor.getDataType()
                                    + ", expected a floating type");
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(
                        file
                                + " lacks "
                                + missing.size()
                                + " tensor(s) the model needs, first "
                                + missing.subList(0, Math.min(5, missing.size())));
            }
            for (Map.Entry<String, Parameter> target : targets.entrySet()) {
                NDArray current = target.getValue().getArray();
                NDArray tensor = byName.get(target.getKey());
                DataType type = current.getDataType();
                current.set(tensor.toType(type, false).toByteBuffer());
            }
            List<String> unused = new ArrayList<>();
            for (String name : byName.keySet()) {
                if (!targets.containsKey(name) && !name.endsWith("num_batches_tracked")) {
                    unused.add(name);
                }
            }
            Collections.sort(unused);
            return unused;
        }
    }

    private static String normName(String djlName) {
        switch (djlName) {
            case "gamma":
                return "weight";
            case "beta":
                return "bias";
            case "runningMean":
                return "running_mean";
            case "runningVar":
                return "running_var";
            default:
                return djlName;
        }
    }

    /** DJL stores child {@code name} as two digits then the name: {@code 03large_kernel}. */
    /** A child's name without the index DJL puts in front ({@code 02pw1} -> {@code pw1}). */
    public static String stripIndex(String childKey) {
        int i = 0;
        while (i < childKey.length() && Character.isDigit(childKey.charAt(i))) {
            i++;
        }
        return childKey.substring(i);
    }
}
