package org.rtf4j.train.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rtf4j.layer.Parameter;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and decoupled weight decay,
 * {@code p ← p − lr·(m̂/(√v̂ + ε) + wd·p)}. Parameters tagged {@link Parameter#ssm()} form their own group
 * with their own learning rate and weight decay (docs/ssm-math.md §6.1); the schedule factor scales both groups.
 */
public final class AdamW {

    /**
     * Hyperparameters.
     *
     * @param lr             learning rate of the other parameters
     * @param weightDecay    decoupled weight decay of the other parameters
     * @param ssmLr          learning rate of the SSM parameters
     * @param ssmWeightDecay weight decay of the SSM parameters
     * @param beta1          first-moment decay
     * @param beta2          second-moment decay
     * @param eps            denominator offset
     */
    public record Settings(double lr, double weightDecay, double ssmLr, double ssmWeightDecay, double beta1,
                           double beta2, double eps) {
        public Settings {
            positive("lr", lr);
            positive("ssm lr", ssmLr);
            nonNegative("weight decay", weightDecay);
            nonNegative("ssm weight decay", ssmWeightDecay);
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            positive("eps", eps);
        }

        /** PyTorch's defaults for betas and ε. */
        public static Settings of(double lr, double weightDecay, double ssmLr, double ssmWeightDecay) {
            return new Settings(lr, weightDecay, ssmLr, ssmWeightDecay, 0.9, 0.999, 1e-8);
        }

        private static void positive(String name, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a positive finite number, got " + v);
            }
        }

        private static void nonNegative(String name, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a non-negative finite number, got " + v);
            }
        }
    }

    private final Map<String, Parameter> params;
    private final Settings settings;
    private final Map<String, double[]> m = new LinkedHashMap<>();
    private final Map<String, double[]> v = new LinkedHashMap<>();
    private long steps;

    public AdamW(Map<String, Parameter> params, Settings settings) {
        this.params = params;
        this.settings = settings;
        params.forEach((name, p) -> {
            m.put(name, new double[p.size()]);
            v.put(name, new double[p.size()]);
        });
    }

    public Settings settings() {
        return settings;
    }

    /** Updates done so far. */
    public long steps() {
        return steps;
    }

    /** One update from the accumulated gradients, with the learning rates scaled by {@code factor}. */
    public void step(double factor) {
        steps++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double c1 = 1.0 - Math.pow(b1, steps);
        double c2 = 1.0 - Math.pow(b2, steps);
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            double lr = factor * (p.ssm() ? settings.ssmLr() : settings.lr());
            double wd = p.ssm() ? settings.ssmWeightDecay() : settings.weightDecay();
            double[] w = p.value();
            double[] g = p.grad();
            double[] mm = m.get(e.getKey());
            double[] vv = v.get(e.getKey());
            for (int i = 0; i < w.length; i++) {
                mm[i] = b1 * mm[i] + (1 - b1) * g[i];
                vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
                double mh = mm[i] / c1;
                double vh = vv[i] / c2;
                w[i] -= lr * (mh / (Math.sqrt(vh) + settings.eps()) + wd * w[i]);
            }
        }
    }

    /** The first and second moments by parameter name (live arrays, for checkpoints). */
    public Map<String, double[]> firstMoments() {
        return m;
    }

    public Map<String, double[]> secondMoments() {
        return v;
    }

    /** Restores the update count (the moments are restored through their live arrays). */
    public void restoreSteps(long s) {
        if (s < 0) {
            throw new IllegalArgumentException("optimizer steps must be ≥ 0, got " + s);
        }
        this.steps = s;
    }
}
