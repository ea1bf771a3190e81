package io.seqvision.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.seqvision.tasks.training.FusedAdamW;
import io.seqvision.tasks.training.MomentScales;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay, one parameter at a time: the optimizer
 * the trainer ran before {@link FusedAdamW} replaced it. It is not product code. It is kept, on
 * purpose, for two jobs: it is the optimizer of the speed bench's {@code baseline} training loop
 * ({@link BaselineTrainingLoop}), and it is the reference the tests check {@link FusedAdamW} against
 * (the same update, and checkpoints each can read from the other). Weight decay applies to
 * matrices and kernels (rank >= 2) only, not to biases, norms' scales or layer scales.
 *
 * <p>Moments live in the manager given at construction; updates are in place. The state file is
 * the trainer's optimizer state format ({@link MomentScales}), with the moments unscaled.
 */
public final class AdamW {

    private final List<Parameter> parameters;
    private final List<NDArray> firstMoments = new ArrayList<>();
    private final List<NDArray> secondMoments = new ArrayList<>();
    private final boolean[] decays;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private long steps;

    public AdamW(List<Parameter> parameters, NDManager stateManager, double weightDecay) {
        this(parameters, stateManager, 0.9, 0.999, 1e-8, weightDecay);
    }

    public AdamW(
            List<Parameter> parameters,
            NDManager stateManager,
            double beta1,
            double beta2,
            double epsilon,
            double weightDecay) {
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decays = new boolean[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            NDArray array = parameters.get(i).getArray();
            firstMoments.add(stateManager.zeros(array.getShape(), array.getDataType(), array.getDevice()));
            secondMoments.add(stateManager.zeros(array.getShape(), array.getDataType(), array.getDevice()));
            decays[i] = array.getShape().dimension() >= 2;
        }
    }

    /** Updates completed so far (the bias-correction step count). */
    public long steps() {
        return steps;
    }

    /**
     * One update from the gradients accumulated on the parameters, which are then zeroed.
     * Temporaries are closed before returning.
     */
    public void step(double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        double stepSize = learningRate * Math.sqrt(correction2) / correction1;
        double epsHat = epsilon * Math.sqrt(correction2);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray weight = parameters.get(i).getArray();
            try (NDArray gradient = weight.getGradient();
                    NDManager scratch = weight.getManager().newSubManager()) {
                NDArray m = firstMoments.get(i);
                NDArray v = secondMoments.get(i);
                NDArray g = gradient.duplicate();
                g.attach(scratch);
                m.muli(beta1).addi(g.mul(1 - beta1));
                v.muli(beta2).addi(g.muli(g).muli(1 - beta2));
                NDArray update = v.sqrt().addi(epsHat);
                update.attach(scratch);
                NDArray direction = m.div(update);
                direction.attach(scratch);
                if (decays[i] && weightDecay > 0) {
                    weight.muli(1 - learningRate * weightDecay);
                }
                weight.subi(direction.muli(stepSize));
                gradient.muli(0);
            }
        }
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}
     * (no clipping when {@code maxNorm <= 0}).
     *
     * @return the global norm before clipping
     */
    public double clipGradients(double maxNorm) {
        double norm;
        try (NDManager scratch = NDManager.newBaseManager(parameters.get(0).getArray().getDevice())) {
            NDArray total = scratch.zeros(new ai.djl.ndarray.types.Shape());
            for (Parameter parameter : parameters) {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    NDArray squares = gradient.square();
                    squares.attach(scratch);
                    NDArray sum = squares.sum();
                    sum.attach(scratch);
                    total.addi(sum);
                }
            }
            norm = Math.sqrt(total.getFloat());
        }
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (Parameter parameter : parameters) {
                try (NDArray gradient = parameter.getArray().getGradient()) {
                    gradient.muli(scale);
                }
            }
        }
        return norm;
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGradients() {
        for (Parameter parameter : parameters) {
            try (NDArray gradient = parameter.getArray().getGradient()) {
                gradient.muli(0);
            }
        }
    }

    public void save(DataOutputStream out) throws IOException {
        new MomentScales(1, 1, steps).write(out);
        out.writeInt(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            out.writeUTF(parameters.get(i).getName());
            new NDList(firstMoments.get(i), secondMoments.get(i)).encode(out);
        }
    }

    /** Restores moments saved by {@link #save} or {@link FusedAdamW#save} for the same parameter list. */
    public void load(DataInputStream in) throws IOException {
        MomentScales scales = MomentScales.read(in);
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("optimizer state has " + count + " parameters, the model has " + parameters.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            if (!name.equals(parameters.get(i).getName())) {
                throw new IOException("optimizer state parameter " + i + " is '" + name
                        + "', the model's is '" + parameters.get(i).getName() + "'");
            }
            try (NDManager scratch = firstMoments.get(i).getManager().newSubManager()) {
                NDList moments = NDList.decode(scratch, in);
                copyInto(firstMoments.get(i), moments.get(0), scales.first(), name);
                copyInto(secondMoments.get(i), moments.get(1), scales.second(), name);
            }
        }
        steps = scales.steps();
    }

    private static void copyInto(NDArray target, NDArray loaded, double scale, String name) throws IOException {
        if (!loaded.getShape().equals(target.getShape())) {
            throw new IOException("optimizer state of '" + name + "' has shape " + loaded.getShape()
                    + ", the model's is " + target.getShape());
        }
        if (scale != 1) {
            loaded.divi((float) scale);
        }
        loaded.copyTo(target);
    }
}
