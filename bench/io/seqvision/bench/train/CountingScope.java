package io.seqvision.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.lang.reflect.Field;
import java.util.IdentityHashMap;

/**
 * An {@link NDScope} that also counts the native arrays created while it is the innermost scope:
 * every PyTorch op result, view and scalar DJL makes registers with the scope, so the count is the
 * number of tensor handles (and, for non-views, device allocations) a training step costs.
 *
 * <p>DJL offers no such counter; this swaps the scope's private registry for a counting one by
 * reflection (the DJL jar is on the class path, not a named module). Where that is not possible
 * the scope still works and {@link #created()} reports -1.
 */
final class CountingScope implements AutoCloseable {

    private static final Field RESOURCES = resourcesField();

    private final NDScope scope;
    private final Counter counter;

    private CountingScope() {
        scope = new NDScope();
        Counter c = null;
        if (RESOURCES != null) {
            try {
                c = new Counter();
                RESOURCES.set(scope, c);
            } catch (IllegalAccessException e) {
                c = null;
            }
        }
        counter = c;
    }

    static CountingScope open() {
        return new CountingScope();
    }

    /** Arrays created in this scope so far, or -1 when they cannot be counted. */
    long created() {
        return counter == null ? -1 : counter.puts;
    }

    @Override
    public void close() {
        scope.close();
    }

    private static Field resourcesField() {
        try {
            Field field = NDScope.class.getDeclaredField("resources");
            field.setAccessible(true);
            return field.getType().isAssignableFrom(Counter.class) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static final class Counter extends IdentityHashMap<NDArray, NDArray> {
        private static final long serialVersionUID = 1L;
        private long puts;

        @Override
        public NDArray put(NDArray key, NDArray value) {
            puts++;
            return super.put(key, value);
        }
    }
}
