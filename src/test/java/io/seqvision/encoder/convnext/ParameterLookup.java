package io.seqvision.encoder.convnext;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/** Finds a block's parameters by the end of their DJL names (which carry child indices). */
final class ParameterLookup {

    private ParameterLookup() {}

    /** The single parameter whose name ends with {@code suffix}. */
    static Parameter only(Block block, String suffix) {
        List<Parameter> found = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getKey().endsWith(suffix)) {
                found.add(pair.getValue());
            }
        }
        if (found.size() != 1) {
            throw new AssertionError(
                    found.size() + " parameters end with '" + suffix + "' in " + names(block));
        }
        return found.get(0);
    }

    static List<String> names(Block block) {
        List<String> names = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            names.add(pair.getKey());
        }
        return names;
    }

    static long count(Block block) {
        long total = 0;
        for (Parameter p : block.getParameters().values()) {
            total += p.getArray().size();
        }
        return total;
    }

    /** Exact GELU, {@code x * Phi(x)}, for plain-Java references. */
    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf by its Taylor series; error below 1e-10 for |x| <= 4, and |erf| = 1 - 2e-8 beyond. */
    static double erf(double x) {
        if (Math.abs(x) > 4) {
            return Math.signum(x);
        }
        double term = x;
        double sum = x;
        for (int n = 1; n < 100; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
