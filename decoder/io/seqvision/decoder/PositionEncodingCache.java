package io.seqvision.decoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link PositionalEncoding2D} arrays a model adds to its memory, made once per grid, device and
 * float type rather than computed on the host and copied to the device on every forward pass.
 * Entries belong to a sub-manager of the manager the caller names (the model's parameters'), so
 * they are freed with the model; an entry whose manager was closed is made again. Safe for
 * concurrent forward passes.
 */
final class PositionEncodingCache {

    private final Map<String, NDArray> entries = new ConcurrentHashMap<>();

    /**
     * The encoding of an {@code height x width} grid with {@code channels} channels: {@code (h*w,
     * channels)} of {@code type} on {@code device}; not to be closed by the caller.
     */
    NDArray get(NDManager owner, int height, int width, int channels, Device device, DataType type) {
        String key = height + "x" + width + "x" + channels + "@" + device + "/" + type;
        NDArray cached = entries.get(key);
        if (cached != null && !cached.isReleased()) {
            return cached;
        }
        synchronized (this) {
            cached = entries.get(key);
            if (cached != null && !cached.isReleased()) {
                return cached;
            }
            NDManager manager = owner.newSubManager(device);
            // the host array wraps a Java buffer that dies with it: keep a copy with storage of its own
            NDArray made;
            try (NDArray host = PositionalEncoding2D.create(manager, height, width, channels)) {
                NDArray typed = host.toType(type, false);
                NDArray moved = typed.toDevice(device, false);
                made = moved == host ? host.duplicate() : moved;
                if (typed != host && typed != made) {
                    typed.close();
                }
            }
            // a forward pass inside an NDScope must not close the cached array with its temporaries
            NDScope.unregister(made);
            entries.put(key, made);
            return made;
        }
    }
}
