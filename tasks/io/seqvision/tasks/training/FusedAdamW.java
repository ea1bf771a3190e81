package io.seqvision.tasks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) over {@link FlatParameters}: the same update as the per-parameter
 * reference AdamW the bench and the tests keep (decoupled weight decay on rank >= 2 parameters, bias
 * correction folded into the step size and epsilon) and a checkpoint format either reads
 * ({@link MomentScales}), in a handful of native calls per step instead of a dozen ops per parameter.
 *
 * <p>Per step and group the update is one call of DJL's native {@code adamUpdate} (moments,
 * decay and the weight update in one JNI call with host scalars, so no scalar becomes a device
 * array), which also zeroes the group's gradient. Clipping by global norm runs on the device:
 * {@link #clipGradients} returns the norm as a device array and never waits for it, so a training
 * loop can read it (and the loss) only when it logs. Constants live on the device, made once.
 *
 * <p>After each update the flat views are released, so the next forward pass reads the new
 * weights (in the compute type). Temporaries are closed before returning.
 */
public final class FusedAdamW implements AutoCloseable {

    private final FlatParameters flat;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final NDManager stateManager;
    private final Map<Float, NDArray> constants = new HashMap<>();
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final double firstMomentRatio;
    private final double secondMomentRatio;
    private long steps;

    public FusedAdamW(FlatParameters flat, NDManager stateManager, double weightDecay) {
        this(flat, stateManager, 0.9, 0.999, 1e-8, weightDecay);
    }

    public FusedAdamW(FlatParameters flat, NDManager stateManager, double beta1, double beta2, double epsilon,
            double weightDecay) {
        this.flat = flat;
        this.stateManager = stateManager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        // The native update takes float betas and forms 1 - beta in float: 1 - 0.999f is
        // 0.00099998713, 1.3e-5 away from AdamW's 0.001f. Both decay by the same float beta, so its
        // moments are exactly AdamW's times these ratios; step() divides them out; save() keeps them (an exact resume).
        this.firstMomentRatio = (1f - (float) beta1) / (double) (float) (1 - beta1);
        this.secondMomentRatio = (1f - (float) beta2) / (double) (float) (1 - beta2);
        for (FlatParameters.Group group : flat.groups()) {
            NDArray master = group.master();
            firstMoments.add(keep(stateManager.zeros(master.getShape(), master.getDataType(), master.getDevice())));
            secondMoments.add(keep(stateManager.zeros(master.getShape(), master.getDataType(), master.getDevice())));
        }
    }

    /** Updates completed so far (the bias-correction step count); skipped steps do not count. */
    public long steps() {
        return steps;
    }

    /** Clipping without loss scaling; see {@link #clipGradients(double, double)}. */
    public NDArray clipGradients(double maxNorm) {
        return clipGradients(maxNorm, 1);
    }

    /**
     * Divides the gradients by {@code lossScale} and scales them together so that their global L2
     * norm is at most {@code maxNorm} (no clipping when {@code maxNorm <= 0}), all on the device.
     *
     * @return the global norm of the unscaled gradients before clipping: a scalar float32 array on
     *     the masters' device, not yet computed when this returns; close it. It is not finite when
     *     a gradient overflowed.
     */
    public NDArray clipGradients(double maxNorm, double lossScale) {
        List<NDArray> temporaries = new ArrayList<>();
        try {
            List<NDArray> gradients = new ArrayList<>();
            NDArray total = null;
            for (FlatParameters.Group group : flat.groups()) {
                NDArray gradient = temp(temporaries, group.master().getGradient());
                gradients.add(gradient);
                NDArray squares = temp(temporaries, gradient.square());
                NDArray sum = temp(temporaries, squares.sum());
                total = total == null ? sum : total.addi(sum);
            }
            NDArray norm = total.sqrt();
            if (lossScale != 1) {
                norm.muli(constant(1 / lossScale));
            }
            NDArray multiplier = null;
            if (maxNorm > 0) {
                NDArray limit = constant(maxNorm);
                NDArray over = temp(temporaries, norm.gt(limit));
                NDArray shifted = temp(temporaries, norm.add(constant(1e-6)));
                NDArray factor = temp(temporaries, limit.div(shifted));
                multiplier = temp(temporaries, NDArrays.where(over, factor, constant(1)));
                if (lossScale != 1) {
                    multiplier.muli(constant(1 / lossScale));
                }
            } else if (lossScale != 1) {
                multiplier = constant(1 / lossScale);
            }
            if (multiplier != null) {
                for (NDArray gradient : gradients) {
                    gradient.muli(multiplier);
                }
            }
            return norm;
        } finally {
            for (NDArray t : temporaries) {
                t.close();
            }
        }
    }

    /** One update from the (already clipped) gradients on the masters, which are then zeroed. */
    public void step(double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        double stepSize = learningRate * Math.sqrt(correction2) / correction1;
        double epsHat = epsilon * Math.sqrt(correction2);
        // m and v are r1 and r2 times AdamW's: m r1 S' / (sqrt(v r2) + E') = m S / (sqrt(v) + E)
        // with S' = S sqrt(r2) / r1 and E' = E sqrt(r2).
        double nativeStepSize = stepSize * Math.sqrt(secondMomentRatio) / firstMomentRatio;
        double nativeEpsilon = epsHat * Math.sqrt(secondMomentRatio);
        List<FlatParameters.Group> groups = flat.groups();
        for (int i = 0; i < groups.size(); i++) {
            FlatParameters.Group group = groups.get(i);
            NDArray master = group.master();
            try (NDArray gradient = master.getGradient()) {
                // adamw = true: w -= lr * wd * w, then m, v and w -= stepSize * m / (sqrt(v) + epsHat);
                // the call zeroes the master's gradient afterwards.
                master.getNDArrayInternal().adamUpdate(
                        new NDList(master, gradient, firstMoments.get(i), secondMoments.get(i)),
                        new NDList(master),
                        (float) learningRate,
                        (float) nativeStepSize,
                        group.decays() ? (float) weightDecay : 0f,
                        1f,
                        -1f,
                        (float) beta1,
                        (float) beta2,
                        (float) nativeEpsilon,
                        false,
                        true);
            }
        }
        flat.releaseViews();
    }

    /** Drops the step's gradients without updating (a float16 overflow); the step count stays. */
    public void skipStep() {
        zeroGradients();
        flat.releaseViews();
    }

    /** Sets every gradient to exactly zero, also where it overflowed ({@code x * 0} keeps NaN). */
    public void zeroGradients() {
        for (FlatParameters.Group group : flat.groups()) {
            EngineCalls.zeroGradient(group.master());
        }
    }

    /**
     * Writes the moments as they are, with their scales over AdamW's ({@link MomentScales}), so that
     * loading them back is exact and a reader with unscaled moments (the reference AdamW) can convert them.
     */
    public void save(DataOutputStream out) throws IOException {
        List<Parameter> parameters = flat.parameters();
        new MomentScales(firstMomentRatio, secondMomentRatio, steps).write(out);
        out.writeInt(parameters.size());
        for (Parameter parameter : parameters) {
            out.writeUTF(parameter.getName());
            long[] where = flat.location(parameter);
            NDIndex range = new NDIndex("{}:{}", where[1], where[1] + where[2]);
            int group = (int) where[0];
            Shape shape = parameter.getArray().getShape();
            try (NDArray m = firstMoments.get(group).get(range);
                    NDArray v = secondMoments.get(group).get(range);
                    NDArray mShaped = m.reshape(shape);
                    NDArray vShaped = v.reshape(shape)) {
                new NDList(mShaped, vShaped).encode(out);
            }
        }
    }

    /**
     * Restores state written by {@link #save}, or with unscaled moments (the per-parameter AdamW the
     * trainer ran before, and the reference AdamW of the bench and the tests), for the same parameter list;
     * moments stored with this optimizer's own scales are taken bit for bit.
     */
    public void load(DataInputStream in) throws IOException {
        List<Parameter> parameters = flat.parameters();
        MomentScales scales = MomentScales.read(in);
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("optimizer state has " + count + " parameters, the model has " + parameters.size());
        }
        List<FlatParameters.Group> groups = flat.groups();
        float[][] m = new float[groups.size()][];
        float[][] v = new float[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            m[g] = new float[Math.toIntExact(groups.get(g).master().size())];
            v[g] = new float[m[g].length];
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            Parameter parameter = parameters.get(i);
            if (!name.equals(parameter.getName())) {
                throw new IOException("optimizer state parameter " + i + " is '" + name
                        + "', the model's is '" + parameter.getName() + "'");
            }
            long[] where = flat.location(parameter);
            try (NDManager scratch = stateManager.newSubManager()) {
                NDList moments = NDList.decode(scratch, in);
                for (int k = 0; k < 2; k++) {
                    NDArray moment = moments.get(k);
                    if (moment.size() != where[2]) {
                        throw new IOException("optimizer state of '" + name + "' has shape " + moment.getShape()
                                + ", the model's is " + parameter.getArray().getShape());
                    }
                    float[] values = moment.toFloatArray();
                    double own = k == 0 ? firstMomentRatio : secondMomentRatio;
                    double stored = k == 0 ? scales.first() : scales.second();
                    float[] target = k == 0 ? m[(int) where[0]] : v[(int) where[0]];
                    if (own == stored) {
                        System.arraycopy(values, 0, target, (int) where[1], values.length);
                    } else {
                        float ratio = (float) (own / stored);
                        for (int e = 0; e < values.length; e++) {
                            target[(int) where[1] + e] = values[e] * ratio;
                        }
                    }
                }
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            firstMoments.get(g).set(FloatBuffer.wrap(m[g]));
            secondMoments.get(g).set(FloatBuffer.wrap(v[g]));
        }
        steps = scales.steps();
    }

    /** The moments of a group as they are kept (first: k = 0, second: k = 1), for tests. */
    float[] moments(int group, int k) {
        return (k == 0 ? firstMoments : secondMoments).get(group).toFloatArray();
    }

    @Override
    public void close() {
        firstMoments.forEach(NDArray::close);
        secondMoments.forEach(NDArray::close);
        constants.values().forEach(NDArray::close);
        constants.clear();
    }

    /** A float32 scalar on the masters' device, made on first use and kept. */
    private NDArray constant(double value) {
        return constants.computeIfAbsent((float) value, v -> {
            NDArray array = stateManager.create(v).toDevice(flat.groups().get(0).master().getDevice(), false);
            return keep(array);
        });
    }

    /** Long-lived arrays must outlive any NDScope the caller has open. */
    private static NDArray keep(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    private static NDArray temp(List<NDArray> temporaries, NDArray array) {
        temporaries.add(array);
        return array;
    }
}
