package io.seqvision.tasks.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import io.seqvision.encoder.common.DifferentiableCast;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's trainable parameters stored back to back in a few flat float32 arrays, so that
 * clipping, the optimizer update and gradient zeroing cost a handful of ops per step rather than
 * several per parameter (see {@link FusedAdamW}).
 *
 * <p>Parameters are grouped by weight decay (rank >= 2 decays, as in {@link FusedAdamW}) and by compute
 * type: the precision's type, except the parameters in {@code keepFloat32} (BatchNorm's scale and
 * shift: PyTorch's mixed-type batch norm takes a float16 input only with float32 parameters and
 * statistics). Each group's <em>master</em> is one 1-D float32 leaf array that requires a gradient;
 * backward leaves one flat gradient on it.
 *
 * <p>The model reads parameters through {@link #parameterStore}: per step each group's master,
 * cast to the group's compute type when that is not float32 ({@link DifferentiableCast}, so the
 * float16 gradients arrive on the float32 master), is split into views (one {@code
 * split_with_sizes}, whose backward is one concatenation) reshaped to the parameters' shapes. Views
 * made for training are dropped after each update ({@link #releaseViews}); inference views are kept
 * until then.
 *
 * <p>The model's own {@link Parameter} arrays are re-pointed ({@link NDArray#intern}) at float32
 * views of the masters: they always hold the current weights, so saving a checkpoint and float32
 * inference through a plain {@code ParameterStore} see every update without a copy, but they carry
 * no gradient any more. Build this after loading any checkpoint into the model.
 */
public final class FlatParameters implements AutoCloseable {

    private final List<Parameter> parameters;
    private final List<Group> groups = new ArrayList<>();
    private final Map<String, int[]> positions = new HashMap<>();

    /**
     * @param parameters  trainable float32 parameters, all on one device
     * @param keepFloat32 parameters that compute in float32 whatever the compute type
     * @param computeType FLOAT32 or FLOAT16
     * @param manager     owns the masters (and, through {@link FusedAdamW}, the optimizer state)
     * @throws IllegalArgumentException for an empty list, a non-float32 parameter, a duplicate or
     *     a compute type other than FLOAT32 and FLOAT16
     */
    public FlatParameters(List<Parameter> parameters, Set<Parameter> keepFloat32, DataType computeType,
            NDManager manager) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("FlatParameters needs at least one parameter");
        }
        if (computeType != DataType.FLOAT32 && computeType != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute type must be float32 or float16, got " + computeType);
        }
        this.parameters = List.copyOf(parameters);
        Map<String, List<Parameter>> byKey = new LinkedHashMap<>();
        Map<String, DataType> keyTypes = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Parameter p : this.parameters) {
            NDArray array = p.getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter '" + p.getName() + "' is " + array.getDataType()
                        + "; FlatParameters keeps float32 masters of float32 parameters");
            }
            if (!seen.add(p.getId())) {
                throw new IllegalArgumentException("parameter '" + p.getName() + "' is listed twice");
            }
            boolean decays = array.getShape().dimension() >= 2;
            DataType type = keepFloat32.contains(p) ? DataType.FLOAT32 : computeType;
            String key = decays + "/" + type;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
            keyTypes.put(key, type);
        }
        for (Map.Entry<String, List<Parameter>> entry : byKey.entrySet()) {
            List<Parameter> members = entry.getValue();
            NDArray first = members.get(0).getArray();
            Group group = new Group(members, first.getShape().dimension() >= 2, keyTypes.get(entry.getKey()), manager);
            for (int i = 0; i < members.size(); i++) {
                positions.put(members.get(i).getId(), new int[] {groups.size(), i});
            }
            groups.add(group);
        }
    }

    /** A replica of {@code source} on {@code device}: same layout, its own masters, parameters not re-pointed. */
    private FlatParameters(FlatParameters source, Device device, NDManager manager) {
        this.parameters = source.parameters;
        this.positions.putAll(source.positions);
        for (Group group : source.groups) {
            groups.add(new Group(group, device, manager));
        }
    }

    /**
     * A copy of these masters on {@code device} for data-parallel training: the same parameters in
     * the same layout, read through its own {@link #parameterStore}, with its own gradients. The
     * model's parameter arrays keep pointing at this object's masters; keep the replica in step
     * with {@link #copyMastersFrom} after each update.
     */
    public FlatParameters replicate(Device device, NDManager manager) {
        return new FlatParameters(this, device, manager);
    }

    /**
     * Adds this replica's gradients to {@code target}'s (moving them to its device) and zeroes
     * its own.
     */
    public void addGradientsTo(FlatParameters target) {
        checkSameLayout(target);
        for (int g = 0; g < groups.size(); g++) {
            NDArray master = groups.get(g).master;
            NDArray targetMaster = target.groups.get(g).master;
            try (NDArray gradient = master.getGradient();
                    NDArray moved = gradient.toDevice(targetMaster.getDevice(), true);
                    NDArray targetGradient = targetMaster.getGradient()) {
                targetGradient.addi(moved);
            }
            EngineCalls.zeroGradient(master);
        }
    }

    /** Overwrites this replica's masters with {@code source}'s values (not gradients); drops the views. */
    public void copyMastersFrom(FlatParameters source) {
        checkSameLayout(source);
        releaseViews();
        EngineCalls.withoutRecording(() -> {
            for (int g = 0; g < groups.size(); g++) {
                NDArray master = groups.get(g).master;
                try (NDArray moved = source.groups.get(g).master.toDevice(master.getDevice(), true)) {
                    master.set(new NDIndex(":"), moved);
                }
            }
        });
    }

    /**
     * The current gradient of {@code parameter}: a view of its group's flat gradient in the
     * parameter's shape; close it.
     *
     * @throws IllegalArgumentException when it is not held here
     */
    public NDArray gradient(Parameter parameter) {
        long[] where = location(parameter);
        NDArray master = groups.get((int) where[0]).master;
        try (NDArray flatGradient = master.getGradient();
                NDArray range = flatGradient.get(new NDIndex("{}:{}", where[1], where[1] + where[2]))) {
            return range.reshape(parameter.getArray().getShape());
        }
    }

    private void checkSameLayout(FlatParameters other) {
        if (other.groups.size() != groups.size() || !other.parameters.equals(parameters)) {
            throw new IllegalArgumentException("FlatParameters of different parameter lists");
        }
    }

    /**
     * The scale and shift parameters of every DJL {@link BatchNorm} in {@code block}, the ones that
     * must stay float32 under float16 compute.
     */
    public static Set<Parameter> batchNormParameters(Block block) {
        Set<Parameter> found = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        collectBatchNorm(block, found);
        return found;
    }

    private static void collectBatchNorm(Block block, Set<Parameter> found) {
        if (block instanceof BatchNorm) {
            for (var entry : block.getDirectParameters()) {
                if (entry.getValue().requiresGradient()) {
                    found.add(entry.getValue());
                }
            }
        }
        for (var child : block.getChildren()) {
            collectBatchNorm(child.getValue(), found);
        }
    }

    /** The parameters in the order given at construction. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public List<Group> groups() {
        return Collections.unmodifiableList(groups);
    }

    /** Elements over all groups. */
    public long size() {
        return groups.stream().mapToLong(g -> g.master.size()).sum();
    }

    /** A parameter store that serves the views; parameters not held here come from their own arrays. */
    public FlatParameterStore parameterStore(NDManager manager) {
        return new FlatParameterStore(manager, this);
    }

    /**
     * The current view of {@code parameter} in its group's compute type, or null when it is not
     * held here. Views made with {@code training} true are connected to the masters' gradients
     * (make them inside a gradient collector).
     */
    public NDArray view(Parameter parameter, boolean training) {
        int[] position = positions.get(parameter.getId());
        if (position == null) {
            return null;
        }
        Group group = groups.get(position[0]);
        if (group.views == null || group.viewsForTraining != training || group.views[0].isReleased()) {
            group.makeViews(training);
        }
        return group.views[position[1]];
    }

    /** Drops every group's views, so that the next forward pass sees the updated masters. */
    public void releaseViews() {
        for (Group group : groups) {
            group.releaseViews();
        }
    }

    /**
     * The element range {@code [offset, offset + size)} of {@code parameter} in its group's
     * master, as {@code {group, offset, size}}.
     *
     * @throws IllegalArgumentException when it is not held here
     */
    public long[] location(Parameter parameter) {
        int[] position = positions.get(parameter.getId());
        if (position == null) {
            throw new IllegalArgumentException("parameter '" + parameter.getName() + "' is not in these FlatParameters");
        }
        Group group = groups.get(position[0]);
        return new long[] {position[0], group.offsets[position[1]], group.sizes[position[1]]};
    }

    @Override
    public void close() {
        releaseViews();
        for (Group group : groups) {
            group.master.close();
        }
    }

    /** Parameters sharing weight decay and compute type, stored back to back in one master. */
    public static final class Group {
        private final List<Parameter> members;
        private final long[] sizes;
        private final long[] offsets;
        private final Shape[] shapes;
        private final boolean decays;
        private final DataType computeType;
        private final NDArray master;
        private NDArray[] views;
        private NDArray cast;
        private boolean viewsForTraining;

        private Group(List<Parameter> members, boolean decays, DataType computeType, NDManager manager) {
            this.members = List.copyOf(members);
            this.decays = decays;
            this.computeType = computeType;
            int n = members.size();
            sizes = new long[n];
            offsets = new long[n];
            shapes = new Shape[n];
            NDList flats = new NDList(n);
            long offset = 0;
            for (int i = 0; i < n; i++) {
                NDArray array = members.get(i).getArray();
                shapes[i] = array.getShape();
                sizes[i] = shapes[i].size();
                offsets[i] = offset;
                offset += sizes[i];
                try (NDArray detached = array.stopGradient()) {
                    flats.add(detached.reshape(-1));
                }
            }
            NDArray joined = n == 1 ? flats.get(0).duplicate() : NDArrays.concat(flats, 0);
            flats.close();
            joined.attach(manager);
            NDScope.unregister(joined);
            master = joined;
            repointParameters();
            master.setRequiresGradient(true);
        }

        private Group(Group source, Device device, NDManager manager) {
            this.members = source.members;
            this.decays = source.decays;
            this.computeType = source.computeType;
            this.sizes = source.sizes;
            this.offsets = source.offsets;
            this.shapes = source.shapes;
            NDArray copy;
            // toDevice to the same device returns the same tensor, which would share the gradient
            try (NDArray detached = source.master.stopGradient()) {
                copy = device.equals(detached.getDevice()) ? detached.duplicate() : detached.toDevice(device, true);
            }
            copy.attach(manager);
            NDScope.unregister(copy);
            master = copy;
            master.setRequiresGradient(true);
        }

        /** Makes each member's own array a float32 view of the master (made before the master needs gradients). */
        private void repointParameters() {
            NDArray[] fresh = split(master);
            for (int i = 0; i < fresh.length; i++) {
                NDScope.unregister(fresh[i]);
                members.get(i).getArray().intern(fresh[i]);
            }
        }

        /** Views of {@code source} (1-D, this group's length) with the members' shapes. */
        private NDArray[] split(NDArray source) {
            NDArray[] result = new NDArray[members.size()];
            if (members.size() == 1) {
                result[0] = source.reshape(shapes[0]);
                return result;
            }
            long[] boundaries = new long[members.size() - 1];
            for (int i = 1; i < members.size(); i++) {
                boundaries[i - 1] = offsets[i];
            }
            NDList parts = source.split(boundaries, 0);
            for (int i = 0; i < result.length; i++) {
                result[i] = parts.get(i).reshape(shapes[i]);
                if (parts.get(i) != result[i]) {
                    parts.get(i).close();
                }
            }
            return result;
        }

        private void makeViews(boolean training) {
            releaseViews();
            NDArray source = master;
            if (computeType != DataType.FLOAT32) {
                cast = DifferentiableCast.to(master, computeType);
                source = cast;
            }
            views = split(source);
            viewsForTraining = training;
        }

        private void releaseViews() {
            if (views != null) {
                for (NDArray view : views) {
                    view.close();
                }
                views = null;
            }
            if (cast != null) {
                cast.close();
                cast = null;
            }
        }

        /** The flat float32 master, 1-D: this group's parameters back to back in the given order. */
        public NDArray master() {
            return master;
        }

        public boolean decays() {
            return decays;
        }

        public DataType computeType() {
            return computeType;
        }

        public List<Parameter> members() {
            return members;
        }

        @Override
        public String toString() {
            return Objects.toString(members.size()) + " parameters, " + master.size() + " elements, "
                    + (decays ? "decayed" : "not decayed") + ", " + computeType;
        }
    }
}
