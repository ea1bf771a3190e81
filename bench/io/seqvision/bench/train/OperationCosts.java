package io.seqvision.bench.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The host cost of single DJL operations on small (256-element) arrays, the unit of per-step
 * overhead: each figure is the mean over {@value #REPEATS} calls after {@value #WARM_UP} warm-up
 * calls, with one read of a result at the end so that a GPU's queue is drained inside the timing.
 */
final class OperationCosts {

    static final int REPEATS = 3000;
    static final int WARM_UP = 300;

    private OperationCosts() {}

    /** Microseconds per call, by operation. */
    static Map<String, Double> measure(Device device) {
        Map<String, Double> costs = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.ones(new Shape(256));
            NDArray b = manager.ones(new Shape(256));
            NDArray zero = manager.zeros(new Shape(256));
            costs.put("in-place op (a.muli(b))", time(a, i -> a.muli(b)));
            costs.put("op with a new result (a.add(b), closed)", time(a, i -> a.add(b).close()));
            costs.put("op with a Java scalar (a.add(1f), closed)", time(a, i -> a.add(1f).close()));
            costs.put("view (a.reshape(16, 16), closed)", time(a, i -> a.reshape(16, 16).close()));
            costs.put("host read of a scalar (a.sum().getFloat())", time(a, i -> {
                try (NDArray s = a.sum()) {
                    s.getFloat();
                }
            }));
            costs.put("sub-manager opened and closed", time(a, i -> manager.newSubManager().close()));
            costs.put("gradient handle (getGradient, closed)", gradientHandle(manager, zero));
        }
        return costs;
    }

    private static double gradientHandle(NDManager manager, NDArray zero) {
        NDArray w = manager.ones(new Shape(256));
        w.setRequiresGradient(true);
        return time(zero, i -> w.getGradient().close());
    }

    private static double time(NDArray drain, Consumer<Integer> op) {
        for (int i = 0; i < WARM_UP; i++) {
            op.accept(i);
        }
        drain.sum().getFloat();
        long start = System.nanoTime();
        for (int i = 0; i < REPEATS; i++) {
            op.accept(i);
        }
        drain.sum().getFloat();
        return (System.nanoTime() - start) / 1e3 / REPEATS;
    }
}
