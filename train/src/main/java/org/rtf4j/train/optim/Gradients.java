package org.rtf4j.train.optim;

import java.util.Map;
import org.rtf4j.layer.Parameter;

/** Global gradient operations: finiteness check naming the culprit, norm, clipping, scaling. */
public final class Gradients {
    private Gradients() {
    }

    /** Throws {@link TrainingDivergedException} at the first non-finite gradient entry. */
    public static void requireFinite(long step, Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            double[] g = e.getValue().grad();
            for (int i = 0; i < g.length; i++) {
                if (!Double.isFinite(g[i])) {
                    throw new TrainingDivergedException(step, e.getKey(),
                        "gradient " + e.getKey() + "[" + i + "] = " + g[i]);
                }
            }
        }
    }

    /** Throws {@link TrainingDivergedException} at the first non-finite parameter value. */
    public static void requireFiniteValues(long step, Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            double[] w = e.getValue().value();
            for (int i = 0; i < w.length; i++) {
                if (!Double.isFinite(w[i])) {
                    throw new TrainingDivergedException(step, e.getKey(), "value " + e.getKey() + "[" + i + "] = " + w[i]);
                }
            }
        }
    }

    /** The global L2 norm of all gradients. */
    public static double norm(Map<String, Parameter> params) {
        double s = 0;
        for (Parameter p : params.values()) {
            for (double g : p.grad()) {
                s += g * g;
            }
        }
        return Math.sqrt(s);
    }

    /** Scales all gradients so that their global norm is at most maxNorm (0 = off); returns the norm before. */
    public static double clip(Map<String, Parameter> params, double maxNorm) {
        double n = norm(params);
        if (maxNorm > 0 && n > maxNorm) {
            double s = maxNorm / (n + 1e-12);
            for (Parameter p : params.values()) {
                double[] g = p.grad();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= s;
                }
            }
        }
        return n;
    }
}
