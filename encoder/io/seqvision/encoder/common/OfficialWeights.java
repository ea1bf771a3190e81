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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a block tree to PyTorch state-dict names; {@link io.seqvision.encoder.checkpoint.CheckpointImporter} loads files into those names.
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
            String name = norm ? normName(pair.getKey()) : officialName(pair.getKey());
            Parameter previous = into.put(prefix + name, pair.getValue());
            if (previous != null) {
                throw new IllegalStateException("two parameters map to " + prefix + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(prefix + stripIndex(child.getKey()) + ".", child.getValue(), into);
        }
    }

    /** ConvNeXt's layer scale has been saved as {@code layerScale} since seqvision's first release. */
    private static String officialName(String djlName) {
        return djlName.equals("layerScale") ? "gamma" : djlName;
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
