package org.rtf4j.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.train.nn.Weight;
import java.util.Map;
import org.rtf4j.layer.Parameter;

/**
 * AdamW (Loshchilov and Hutter): Adam moments with bias correction and decoupled weight decay,
 * {@code p ← p − lr·(m̂/(√v̂ + ε) + wd·p)}, after global-norm clipping. Parameters tagged
 * {@link Parameter#ssm()} form their own group with their own learning rate and weight decay
 * (docs/ssm-math.md §6.1); the schedule factor scales both groups.
 *
 * <p>Two kinds of tensors: the model's {@link Weight}s, whose moments are backend buffers updated by the
 * backend's AdamW kernel ({@code Backend.adamW}, which clips from the squared norms of {@code Backend.sumSquares}
 * in the {@code partials} buffer), and host parameters (the SSM layers', a few values per channel), updated here
 * in float64 with the same clipping. The host views of the moments ({@link #firstMoments()}) are current after
 * {@link #pull()} and take effect after {@link #push()}.
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

    private final Map<String, Weight> device;
    private final Map<String, Parameter> host;
    private final Backend be;
    private final Settings settings;
    private final Map<String, double[]> m = new LinkedHashMap<>();
    private final Map<String, double[]> v = new LinkedHashMap<>();
    private long steps;

    /** An optimiser of host parameters only (float64 host arrays). */
    public AdamW(Map<String, Parameter> params, Settings settings) {
        this(null, Map.of(), params, settings);
    }

    /**
     * An optimiser of the weights on {@code backend} (their moments allocated there, zero) and of the host
     * parameters {@code hostParams}; the host views of the moments are keyed by the names of both maps, weights
     * first.
     */
    public AdamW(Backend backend, Map<String, Weight> weights, Map<String, Parameter> hostParams, Settings settings) {
        if (!weights.isEmpty() && backend == null) {
            throw new IllegalArgumentException("weights on a backend need the backend");
        }
        this.be = backend;
        this.device = weights;
        this.host = hostParams;
        this.settings = settings;
        weights.forEach((name, w) -> {
            w.moments();
            m.put(name, new double[w.size()]);
            v.put(name, new double[w.size()]);
        });
        hostParams.forEach((name, p) -> {
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

    /** One update of host parameters from their accumulated gradients (clipped by the caller), lr scaled by {@code factor}. */
    public void step(double factor) {
        if (!device.isEmpty()) {
            throw new IllegalStateException("an optimiser of backend weights steps with the gradients' squared norms");
        }
        steps++;
        hostStep(factor, 1.0);
    }

    /**
     * One update of every tensor, the learning rates scaled by {@code factor}. {@code partials} holds the
     * squared gradient norms of the weights in slots 0 … w−1 (in the order of the map) and that of the host
     * parameters in slot w, {@code k} = w + 1 slots; {@code norm} is √ of their sum and clipping to
     * {@code maxNorm} (0 = off) scales every gradient by maxNorm/(norm + 1e-12) when norm > maxNorm. The caller
     * checked that the norm is finite (the kernel would change nothing otherwise).
     */
    public void step(double factor, DeviceBuffer partials, int k, double maxNorm, double norm) {
        steps++;
        for (Weight w : device.values()) {
            boolean ssm = w.parameter().ssm();
            double lr = factor * (ssm ? settings.ssmLr() : settings.lr());
            double wd = ssm ? settings.ssmWeightDecay() : settings.weightDecay();
            be.adamW(Span.of(w.size()), AdamWStep.of(lr, wd, settings.beta1(), settings.beta2(), settings.eps(), steps,
                maxNorm), w.value(), w.grad(), w.firstMoment(), w.secondMoment(), partials, k);
        }
        hostStep(factor, maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-12) : 1.0);
    }

    private void hostStep(double factor, double clip) {
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double c1 = 1.0 - Math.pow(b1, steps);
        double c2 = 1.0 - Math.pow(b2, steps);
        for (Map.Entry<String, Parameter> e : host.entrySet()) {
            Parameter p = e.getValue();
            double lr = factor * (p.ssm() ? settings.ssmLr() : settings.lr());
            double wd = p.ssm() ? settings.ssmWeightDecay() : settings.weightDecay();
            double[] w = p.value();
            double[] g = p.grad();
            double[] mm = m.get(e.getKey());
            double[] vv = v.get(e.getKey());
            for (int i = 0; i < w.length; i++) {
                double gi = clip == 1.0 ? g[i] : g[i] * clip;
                mm[i] = b1 * mm[i] + (1 - b1) * gi;
                vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
                double mh = mm[i] / c1;
                double vh = vv[i] / c2;
                w[i] -= lr * (mh / (Math.sqrt(vh) + settings.eps()) + wd * w[i]);
            }
        }
    }

    /** The first and second moments by parameter name (host views, for checkpoints; see {@link #pull()}). */
    public Map<String, double[]> firstMoments() {
        return m;
    }

    public Map<String, double[]> secondMoments() {
        return v;
    }

    /** Reads the weights' moments from the backend into their host views (a blocking read). */
    public void pull() {
        device.forEach((name, w) -> {
            be.read(w.firstMoment(), 0, m.get(name), 0, w.size());
            be.read(w.secondMoment(), 0, v.get(name), 0, w.size());
        });
    }

    /** Writes the host views of the weights' moments to the backend (after a restore). */
    public void push() {
        device.forEach((name, w) -> {
            be.write(w.firstMoment(), 0, m.get(name), 0, w.size());
            be.write(w.secondMoment(), 0, v.get(name), 0, w.size());
        });
    }

    /** Restores the update count (the moments are restored through their host views, then {@link #push()}). */
    public void restoreSteps(long s) {
        if (s < 0) {
            throw new IllegalArgumentException("optimizer steps must be ≥ 0, got " + s);
        }
        this.steps = s;
    }

    /** Names of the tensors in the order of the partials' slots: the weights, then "the SSM parameters". */
    public List<String> weightNames() {
        return List.copyOf(device.keySet());
    }
}
