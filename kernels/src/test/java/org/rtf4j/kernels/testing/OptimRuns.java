package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.testing.OptimReference.Hyper;

/** The optimiser kernels' calls as the tests make them on any backend: one kernel on host arrays, or a run of updates. */
public final class OptimRuns {
    private OptimRuns() {
    }

    /** Tensor sizes of the AdamW runs: a scalar, a bias, a weight of just over a chunk, one of three chunks. */
    public static final int[] SIZES = {1, 63, 8197, 20011};

    public static Hyper hyper() {
        // tensor 2 is the SSM group: its own learning rate and no weight decay
        return new Hyper(new double[] {1e-2, 1e-2, 1e-3, 1e-2}, new double[] {0.05, 0.05, 0.0, 0.05}, 0.9, 0.999, 1e-8, 0);
    }

    /** What a run of updates leaves: parameters, moments, and the partials after each step. */
    public record State(double[][] p, double[][] m, double[][] v, List<double[]> partials) {
    }

    /**
     * Updates {@code steps} times on {@code be} the tensors starting at {@code p0} with the given gradients per step
     * ([step][tensor][]), maxNorm per step, update counts from 1: the model's k tensors in one flat buffer per role
     * (flat, at the offsets of their order, after a gap of 3) or one buffer each. Per step: the gradients written,
     * SUM_SQUARES of every tensor into its slot, ADAMW of every tensor.
     */
    public static State run(Backend be, Precision p, boolean flat, double[][] p0, double[][][] grads, double[] maxNorms, Hyper h) {
        int k = p0.length;
        int[] off = new int[k];
        int total = 3;
        for (int t = 0; t < k; t++) {
            off[t] = flat ? total : 0;
            total += p0[t].length;
        }
        DeviceBuffer[][] bufs = new DeviceBuffer[4][k];
        DeviceBuffer partials = be.allocate(p, k + 2);
        List<double[]> seen = new java.util.ArrayList<>();
        try {
            for (int r = 0; r < 4; r++) {
                for (int t = 0; t < k; t++) {
                    bufs[r][t] = flat ? (t == 0 ? be.allocate(p, total) : bufs[r][0]) : be.allocate(p, p0[t].length);
                }
            }
            for (int t = 0; t < k; t++) {
                be.write(bufs[0][t], off[t], p0[t], 0, p0[t].length);
            }
            for (int s = 0; s < grads.length; s++) {
                for (int t = 0; t < k; t++) {
                    be.write(bufs[1][t], off[t], grads[s][t], 0, p0[t].length);
                }
                for (int t = 0; t < k; t++) {
                    be.sumSquares(new Span(off[t], p0[t].length), bufs[1][t], partials, t);
                }
                seen.add(Host.get(be, partials, k));
                for (int t = 0; t < k; t++) {
                    AdamWStep st = AdamWStep.of(h.lr()[t], h.wd()[t], h.beta1(), h.beta2(), h.eps(), s + 1, maxNorms[s]);
                    be.adamW(new Span(off[t], p0[t].length), st, bufs[0][t], bufs[1][t], bufs[2][t], bufs[3][t], partials, k);
                }
            }
            double[][][] out = new double[3][k][];
            int[] roles = {0, 2, 3};
            for (int r = 0; r < 3; r++) {
                for (int t = 0; t < k; t++) {
                    out[r][t] = new double[p0[t].length];
                    be.read(bufs[roles[r]][t], off[t], out[r][t], 0, p0[t].length);
                }
            }
            return new State(out[0], out[1], out[2], seen);
        } finally {
            partials.close();
            for (DeviceBuffer[] role : bufs) {
                for (int t = 0; t < k; t++) {
                    if (role[t] != null && (!flat || t == 0)) {
                        role[t].close();
                    }
                }
            }
        }
    }

    public static double[][] tensors(long seed, Precision p, double scale) {
        double[][] x = new double[SIZES.length][];
        for (int t = 0; t < SIZES.length; t++) {
            x[t] = Host.round(p, OptimReference.uniform(seed + t, SIZES[t], -scale, scale));
        }
        return x;
    }

    public static double[][][] gradients(long seed, Precision p, int steps) {
        double[][][] g = new double[steps][][];
        for (int s = 0; s < steps; s++) {
            g[s] = tensors(seed + 100L * s, p, 1.0);
        }
        return g;
    }

    public static double[] sumSquares(Backend b, Precision p, double[] x, int offset, int count) {
        try (DeviceBuffer bx = Host.put(b, p, x); DeviceBuffer part = Host.put(b, p, new double[] {7, 7, 7})) {
            b.sumSquares(new Span(offset, count), bx, part, 1);
            return Host.get(b, part);
        }
    }

    public static double[] biasAdd(Backend b, Precision p, BiasShape s, double[] bias, double[] y, boolean accumulate) {
        try (DeviceBuffer bb = Host.put(b, p, bias); DeviceBuffer by = Host.put(b, p, y)) {
            b.biasAdd(s, bb, by, accumulate);
            return Host.get(b, by);
        }
    }

    public static double[] biasGrad(Backend b, Precision p, BiasShape s, double[] dy, double[] db) {
        try (DeviceBuffer bg = Host.put(b, p, dy); DeviceBuffer bd = Host.put(b, p, db)) {
            b.biasGrad(s, bg, bd);
            return Host.get(b, bd);
        }
    }

    public static double[] axpy(Backend b, Precision p, AxpyShape s, double alpha, double[] x, double[] y) {
        try (DeviceBuffer bx = Host.put(b, p, x); DeviceBuffer by = Host.put(b, p, y)) {
            b.axpy(s, alpha, bx, by);
            return Host.get(b, by);
        }
    }

    public static void assertSame(String what, State a, State b) {
        for (int t = 0; t < a.p().length; t++) {
            assertArrayEquals(a.p()[t], b.p()[t], what + " parameters " + t);
            assertArrayEquals(a.m()[t], b.m()[t], what + " m " + t);
            assertArrayEquals(a.v()[t], b.v()[t], what + " v " + t);
        }
    }

    /** Unit roundoff of the buffer's precision. */
    public static double unit(Precision p) {
        return p == Precision.F64 ? 0x1p-53 : Check.EPS32;
    }

    /** The float64 reference of a run, on the same (rounded) inputs; scales of the bounds accumulated per update. */
    public record Reference(State state, double[][] pScale, double[][] mScale, double[][] vScale) {
    }

    public static Reference reference(double[][] p0, double[][][] grads, double[] maxNorms, Hyper h0) {
        double[][] p = OptimReference.copy(p0);
        double[][] m = new double[p.length][];
        double[][] v = new double[p.length][];
        double[][] ps = new double[p.length][];
        double[][] ms = new double[p.length][];
        double[][] vs = new double[p.length][];
        for (int t = 0; t < p.length; t++) {
            m[t] = new double[p[t].length];
            v[t] = new double[p[t].length];
            ps[t] = new double[p[t].length];
            ms[t] = new double[p[t].length];
            vs[t] = new double[p[t].length];
        }
        for (int s = 0; s < grads.length; s++) {
            Hyper h = new Hyper(h0.lr(), h0.wd(), h0.beta1(), h0.beta2(), h0.eps(), maxNorms[s]);
            double[][] before = OptimReference.copy(p);
            OptimReference.clipAndStep(p, grads[s], m, v, h, s + 1);
            for (int t = 0; t < p.length; t++) {
                double[] u = OptimReference.stepSize(m[t], v[t], h, s + 1);
                for (int i = 0; i < p[t].length; i++) {
                    ps[t][i] += Math.abs(before[t][i]) + h.lr()[t] * (u[i] + h.wd()[t] * Math.abs(before[t][i]));
                    ms[t][i] += Math.abs(m[t][i]) + Math.abs(grads[s][t][i]);
                    vs[t][i] += Math.abs(v[t][i]) + grads[s][t][i] * grads[s][t][i];
                }
            }
        }
        return new Reference(new State(p, m, v, List.of()), ps, ms, vs);
    }

    /** Asserts |got − ref| ≤ bound·scale per element; returns the worst ratio. */
    public static double within(String what, double[][] got, double[][] ref, double[][] scale, double bound) {
        double worst = 0;
        for (int t = 0; t < ref.length; t++) {
            for (int i = 0; i < ref[t].length; i++) {
                double err = Math.abs(got[t][i] - ref[t][i]);
                double b = bound * scale[t][i];
                assertTrue(err <= b, what + " tensor " + t + " element " + i + ": " + got[t][i] + " vs " + ref[t][i]
                    + ", error " + err + " > " + b);
                if (err > 0) {
                    worst = Math.max(worst, err / b);
                }
            }
        }
        return worst;
    }
}
