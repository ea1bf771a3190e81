package io.seqvision.encoder.checkpoint;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles the {@code data.pkl} of a {@code torch.save} zip archive, allowing only the globals a
 * state dict needs. Every global the pickle names is looked up in {@link #ALLOWED}; any other
 * ({@code posix.system}, {@code builtins.eval}, ...) stops the read with a {@link
 * RefusedGlobalException} naming it. Nothing is ever looked up by reflection or executed: each
 * allowed global is a Java function building plain data (maps, tensor descriptions).
 *
 * <p>The opcodes that name a class and call it at once ({@code INST}, {@code OBJ}, the extension
 * registry {@code EXT1/2/4}) are refused too.
 */
final class RestrictedUnpickler extends Unpickler {

    /** Thrown when a pickle asks for a global outside the allowed set. */
    static final class RefusedGlobalException extends PickleException {
        private static final long serialVersionUID = 1L;
        final String global;

        RefusedGlobalException(String global, String why) {
            super(why);
            this.global = global;
        }
    }

    /** Marker for torch's storage classes ({@code torch.FloatStorage}, ...): never called. */
    record StorageClass(TensorType type) {}

    /** What a {@code persistent_load} id resolves to: one storage of the archive. */
    record StorageRef(TensorType type, String key, long elements) {}

    /** A tensor described by {@code _rebuild_tensor_v2}: a view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] strides) {}

    /** A {@code collections.OrderedDict} (its BUILD state, torch's {@code _metadata}, is kept apart). */
    static final class PickledDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    private static final byte GLOBAL = 'c';
    private static final byte STACK_GLOBAL = (byte) 0x93;
    private static final byte INST = 'i';
    private static final byte OBJ = 'o';
    private static final byte BUILD = 'b';
    private static final byte EXT1 = (byte) 0x82;
    private static final byte EXT2 = (byte) 0x83;
    private static final byte EXT4 = (byte) 0x84;

    private static final Map<String, Object> ALLOWED = allowed();

    private static Map<String, Object> allowed() {
        Map<String, Object> map = new HashMap<>();
        map.put("collections.OrderedDict", constructor(args -> new PickledDict()));
        map.put("torch._utils._rebuild_tensor_v2", constructor(RestrictedUnpickler::rebuildTensor));
        map.put("torch._utils._rebuild_parameter", constructor(args -> args[0]));
        map.put("torch.FloatStorage", new StorageClass(TensorType.FLOAT32));
        map.put("torch.HalfStorage", new StorageClass(TensorType.FLOAT16));
        map.put("torch.BFloat16Storage", new StorageClass(TensorType.BFLOAT16));
        map.put("torch.DoubleStorage", new StorageClass(TensorType.FLOAT64));
        map.put("torch.LongStorage", new StorageClass(TensorType.INT64));
        map.put("torch.IntStorage", new StorageClass(TensorType.INT32));
        map.put("torch.ShortStorage", new StorageClass(TensorType.INT16));
        map.put("torch.CharStorage", new StorageClass(TensorType.INT8));
        map.put("torch.ByteStorage", new StorageClass(TensorType.UINT8));
        map.put("torch.BoolStorage", new StorageClass(TensorType.BOOL));
        return map;
    }

    private static IObjectConstructor constructor(Function<Object[], Object> build) {
        return args -> build.apply(args);
    }

    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof StorageRef)) {
            throw new PickleException("malformed _rebuild_tensor_v2 call");
        }
        return new TensorRef(
                (StorageRef) args[0], number(args[1]), longs(args[2]), longs(args[3]));
    }

    private static long number(Object value) {
        if (!(value instanceof Number)) {
            throw new PickleException("expected an integer, got " + value);
        }
        return ((Number) value).longValue();
    }

    private static long[] longs(Object tuple) {
        if (!(tuple instanceof Object[])) {
            throw new PickleException("expected a tuple of integers, got " + tuple);
        }
        Object[] items = (Object[]) tuple;
        long[] values = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = number(items[i]);
        }
        return values;
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        byte opcode = (byte) key;
        switch (opcode) {
            case GLOBAL:
                {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    stack.add(resolve(module, name));
                    return NO_RETURN_VALUE;
                }
            case STACK_GLOBAL:
                {
                    Object name = stack.pop();
                    Object module = stack.pop();
                    stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                    return NO_RETURN_VALUE;
                }
            case INST:
                {
                    String module = PickleUtils.readline(input);
                    String name = PickleUtils.readline(input);
                    throw refuse(module + "." + name);
                }
            case OBJ:
                throw new RefusedGlobalException("OBJ", "the pickle uses the OBJ opcode");
            case EXT1:
            case EXT2:
            case EXT4:
                throw new RefusedGlobalException(
                        "extension registry", "the pickle uses the extension registry (EXT opcodes)");
            case BUILD:
                {
                    stack.pop(); // the state: torch's _metadata of an OrderedDict, unused here
                    Object target = stack.peek();
                    if (!(target instanceof PickledDict)) {
                        throw new PickleException("BUILD on unexpected object " + target);
                    }
                    return NO_RETURN_VALUE;
                }
            default:
                return super.dispatch(key);
        }
    }

    private static Object resolve(String module, String name) {
        String global = module + "." + name;
        Object allowed = ALLOWED.get(global);
        if (allowed == null) {
            throw refuse(global);
        }
        return allowed;
    }

    private static RefusedGlobalException refuse(String global) {
        return new RefusedGlobalException(
                global,
                "refused global '"
                        + global
                        + "': a state dict needs only tensors, storages and OrderedDict, so this"
                        + " pickle may run code when loaded; nothing was executed");
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[])) {
            throw new PickleException("unexpected persistent id " + pid);
        }
        Object[] id = (Object[]) pid;
        if (id.length != 5 || !"storage".equals(id[0]) || !(id[1] instanceof StorageClass)) {
            throw new PickleException("unexpected persistent id of " + id.length + " fields");
        }
        return new StorageRef(((StorageClass) id[1]).type(), String.valueOf(id[2]), number(id[4]));
    }
}
