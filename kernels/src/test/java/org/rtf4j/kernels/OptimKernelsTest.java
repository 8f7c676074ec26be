package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OptimReference;
import org.rtf4j.kernels.testing.OptimReference.Hyper;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM's optimiser kernels (BIAS_ADD, BIAS_GRAD, AXPY, SUM_SQUARES, ADAMW) against plain float64 references
 * ({@link OptimReference}: the host AdamW.step after Gradients.clip, the Linear bias loops, compensated sums) within
 * the bounds {@code Backend} states, bit for bit where it says so (bias add, axpy, the documented blocked order,
 * float64 AdamW without clipping); the bias gradient against central differences of the bias add; the same bits on
 * 1, 2 and 3 threads; a non-finite gradient leaves parameters and moments untouched and marks its slot; arguments
 * refused in one line.
 */
class OptimKernelsTest extends WithJvmBackend {
    /** Unit roundoff of the buffer's precision. */
    static double unit(Precision p) {
        return p == Precision.F64 ? 0x1p-53 : Check.EPS32;
    }

    /** AdamW bounds of Backend.adamW, in units of {@link #unit}: parameters and moments per update. */
    static final double ADAMW_F32 = 16;
    static final double ADAMW_F64_CLIPPED = 16;

    /** Tensor sizes of the AdamW runs: a scalar, a bias, a weight of just over a chunk, one of three chunks. */
    static final int[] SIZES = {1, 63, 8197, 20011};

    static Hyper hyper() {
        // tensor 2 is the SSM group: its own learning rate and no weight decay
        return new Hyper(new double[] {1e-2, 1e-2, 1e-3, 1e-2}, new double[] {0.05, 0.05, 0.0, 0.05}, 0.9, 0.999, 1e-8, 0);
    }

    /** What a run of updates leaves: parameters, moments, and the partials after each step. */
    record State(double[][] p, double[][] m, double[][] v, List<double[]> partials) {
    }

    /**
     * Updates {@code steps} times on {@code be} the tensors starting at {@code p0} with the given gradients per step
     * ([step][tensor][]), maxNorm per step, update counts from 1: the model's k tensors in one flat buffer per role
     * (flat, at the offsets of their order, after a gap of 3) or one buffer each. Per step: the gradients written,
     * SUM_SQUARES of every tensor into its slot, ADAMW of every tensor.
     */
    static State run(Backend be, Precision p, boolean flat, double[][] p0, double[][][] grads, double[] maxNorms, Hyper h) {
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

    static double[][] tensors(long seed, Precision p, double scale) {
        double[][] x = new double[SIZES.length][];
        for (int t = 0; t < SIZES.length; t++) {
            x[t] = Host.round(p, OptimReference.uniform(seed + t, SIZES[t], -scale, scale));
        }
        return x;
    }

    static double[][][] gradients(long seed, Precision p, int steps) {
        double[][][] g = new double[steps][][];
        for (int s = 0; s < steps; s++) {
            g[s] = tensors(seed + 100L * s, p, 1.0);
        }
        return g;
    }

    /** The float64 reference of a run, on the same (rounded) inputs; scales of the bounds accumulated per update. */
    record Reference(State state, double[][] pScale, double[][] mScale, double[][] vScale) {
    }

    static Reference reference(double[][] p0, double[][][] grads, double[] maxNorms, Hyper h0) {
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
    static double within(String what, double[][] got, double[][] ref, double[][] scale, double bound) {
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

    static void assertSame(String what, State a, State b) {
        for (int t = 0; t < a.p().length; t++) {
            assertArrayEquals(a.p()[t], b.p()[t], what + " parameters " + t);
            assertArrayEquals(a.m()[t], b.m()[t], what + " m " + t);
            assertArrayEquals(a.v()[t], b.v()[t], what + " v " + t);
        }
    }

    @Test
    void float64WithoutClippingIsTheHostUpdateBitForBitInBothLayouts() {
        Precision p = Precision.F64;
        double[][] p0 = tensors(1, p, 0.5);
        double[][][] g = gradients(10, p, 3);
        double[] maxNorms = {0, 1e6, 0};
        Reference ref = reference(p0, g, maxNorms, hyper());
        for (boolean flat : new boolean[] {true, false}) {
            assertSame("flat=" + flat, ref.state(), run(be, p, flat, p0, g, maxNorms, hyper()));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void updatesWithClippingFollowTheHostWithinTheBoundAndNormsAreTheTensorsSquaredNorms(Precision p) {
        double[][] p0 = tensors(2, p, 0.5);
        double[][][] g = gradients(20, p, 4);
        double[] maxNorms = {0, 1.0, 1e6, 0.5};
        Reference ref = reference(p0, g, maxNorms, hyper());
        State flat = run(be, p, true, p0, g, maxNorms, hyper());
        State apart = run(be, p, false, p0, g, maxNorms, hyper());
        assertSame(p + " flat vs one buffer per tensor", flat, apart);
        double bound = (p == Precision.F64 ? ADAMW_F64_CLIPPED : ADAMW_F32) * unit(p);
        double wp = within(p + " parameters", flat.p(), ref.state().p(), ref.pScale(), bound);
        double wm = within(p + " m", flat.m(), ref.state().m(), ref.mScale(), bound);
        double wv = within(p + " v", flat.v(), ref.state().v(), ref.vScale(), bound);
        for (int s = 0; s < g.length; s++) {
            for (int t = 0; t < SIZES.length; t++) {
                double exact = OptimReference.exactSum(g[s][t], 0, SIZES[t], true);
                double got = flat.partials().get(s)[t];
                double tol = (40 + (SIZES[t] + 8191) / 8192) * unit(p) * exact;
                assertTrue(Math.abs(got - exact) <= tol, p + " step " + s + " partial " + t + ": " + got + " vs " + exact);
            }
        }
        System.out.printf("adamW %s: worst error %.3f (parameters), %.3f (m), %.3f (v) of the bound%n", p, wp, wm, wv);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyKernelGivesTheSameBitsOnOneTwoAndThreeThreads(Precision p) {
        double[][] p0 = tensors(3, p, 0.5);
        double[][][] g = gradients(30, p, 3);
        double[] maxNorms = {1.0, 0, 2.0};
        BiasShape bs = new BiasShape(5, 7, 3001);
        double[] dy = Host.round(p, OptimReference.uniform(40, bs.count(), -1, 1));
        double[] bias = Host.round(p, OptimReference.uniform(41, bs.channels(), -1, 1));
        double[] big = Host.round(p, OptimReference.uniform(42, 100_003, -1, 1));
        State first = null;
        double[][] firstOther = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (JvmBackend b = JvmBackend.withThreads(threads)) {
                State s = run(b, p, true, p0, g, maxNorms, hyper());
                double[][] other = {biasGrad(b, p, bs, dy, new double[bs.channels()]), biasAdd(b, p, bs, bias, dy, true),
                    sumSquares(b, p, big, 0, big.length), axpy(b, p, AxpyShape.of(big.length), -0.37, big, dy)};
                if (first == null) {
                    first = s;
                    firstOther = other;
                } else {
                    assertSame(p + " AdamW run on " + threads + " threads", first, s);
                    for (int i = 0; i < other.length; i++) {
                        assertArrayEquals(firstOther[i], other[i], p + " kernel " + i + " on " + threads + " threads");
                    }
                    for (int i = 0; i < s.partials().size(); i++) {
                        assertArrayEquals(first.partials().get(i), s.partials().get(i), p + " partials on " + threads);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aNonFiniteGradientChangesNothingAndMarksItsSlot(Precision p) {
        double[][] p0 = tensors(4, p, 0.5);
        double[][][] g = gradients(50, p, 2);
        double huge = p == Precision.F64 ? 1e200 : 1e20;     // finite, but its square overflows
        double[][] cases = {{Double.NaN}, {Double.POSITIVE_INFINITY}, {huge}};
        for (double[] bad : cases) {
            for (int tensor : new int[] {0, 2, 3}) {
                for (double maxNorm : new double[] {0, 1.0}) {
                    State good = run(be, p, true, p0, new double[][][] {g[0]}, new double[] {maxNorm}, hyper());
                    double[][][] g2 = {g[0], OptimReference.copy(g[1])};
                    g2[1][tensor][SIZES[tensor] / 2] = bad[0];
                    State after = run(be, p, true, p0, g2, new double[] {maxNorm, maxNorm}, hyper());
                    String what = p + " gradient " + bad[0] + " in tensor " + tensor + " maxNorm " + maxNorm;
                    assertSame(what + ": state after the bad step", good, after);
                    double[] partials = after.partials().get(1);
                    for (int t = 0; t < SIZES.length; t++) {
                        assertEquals(t != tensor, Double.isFinite(partials[t]), what + ": partial " + t + " = " + partials[t]);
                    }
                }
            }
        }
    }

    static double[] sumSquares(Backend b, Precision p, double[] x, int offset, int count) {
        try (DeviceBuffer bx = Host.put(b, p, x); DeviceBuffer part = Host.put(b, p, new double[] {7, 7, 7})) {
            b.sumSquares(new Span(offset, count), bx, part, 1);
            return Host.get(b, part);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void sumSquaresIsTheDocumentedBlockedSumWithinItsBoundUpToAMillionElements(Precision p) {
        int[] counts = {1, 255, 256, 257, 8191, 8192, 8193, 100_003, 1_000_000};
        double worst = 0;
        for (int n : counts) {
            int offset = n % 5;
            double[] x = Host.round(p, OptimReference.uniform(n, offset + n + 3, -1, 1));
            double[] got = sumSquares(be, p, x, offset, n);
            assertEquals(7, got[0], "slot 0 untouched");
            assertEquals(7, got[2], "slot 2 untouched");
            double order = p == Precision.F64 ? OptimReference.blockedSum64(x, offset, offset + n, true)
                : OptimReference.blockedSum32(x, offset, offset + n, true);
            assertEquals(order, got[1], 0.0, p + " n=" + n + ": the documented order");
            double exact = OptimReference.exactSum(x, offset, offset + n, true);
            double bound = (40 + (n + 8191) / 8192) * unit(p) * exact;
            double err = Math.abs(got[1] - exact);
            assertTrue(err <= bound, p + " n=" + n + ": " + got[1] + " vs " + exact + ", error " + err + " > " + bound);
            worst = Math.max(worst, err / bound);
        }
        System.out.printf("sumSquares %s: worst error %.4f of the bound%n", p, worst);
    }

    static double[] biasAdd(Backend b, Precision p, BiasShape s, double[] bias, double[] y, boolean accumulate) {
        try (DeviceBuffer bb = Host.put(b, p, bias); DeviceBuffer by = Host.put(b, p, y)) {
            b.biasAdd(s, bb, by, accumulate);
            return Host.get(b, by);
        }
    }

    static double[] biasGrad(Backend b, Precision p, BiasShape s, double[] dy, double[] db) {
        try (DeviceBuffer bg = Host.put(b, p, dy); DeviceBuffer bd = Host.put(b, p, db)) {
            b.biasGrad(s, bg, bd);
            return Host.get(b, bd);
        }
    }

    static final List<BiasShape> BIAS_SHAPES = List.of(new BiasShape(1, 1, 1), new BiasShape(1, 3, 1), new BiasShape(3, 5, 17),
        new BiasShape(32, 8, 784), new BiasShape(2, 3, 8200), new BiasShape(2, 2, 16385), new BiasShape(4, 130, 1));

    /** float32 rounding of a float64 result (exact for one addition of float32 values). */
    static double round(Precision p, double v) {
        return p == Precision.F64 ? v : (float) v;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void biasAddIsOneAdditionOrACopyPerElement(Precision p) {
        long seed = 60;
        for (BiasShape s : BIAS_SHAPES) {
            double[] y = Host.round(p, OptimReference.uniform(seed++, s.count(), -2, 2));
            double[] bias = Host.round(p, OptimReference.uniform(seed++, s.channels(), -1, 1));
            double[] add = biasAdd(be, p, s, bias, y, true);
            double[] fill = biasAdd(be, p, s, bias, y, false);
            for (int i = 0; i < y.length; i++) {
                int c = (i / s.length()) % s.channels();
                assertEquals(round(p, bias[c] + y[i]), add[i], 0.0, p + " " + s + " add element " + i);
                assertEquals(bias[c], fill[i], 0.0, p + " " + s + " fill element " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void biasGradIsTheBlockedSumPerRowThenTheBatchInOrderWithinItsBound(Precision p) {
        long seed = 70;
        double worst = 0;
        for (BiasShape s : BIAS_SHAPES) {
            double[] dy = Host.round(p, OptimReference.uniform(seed++, s.count(), -1, 1));
            double[] db0 = Host.round(p, OptimReference.uniform(seed++, s.channels(), -1, 1));
            double[] got = biasGrad(be, p, s, dy, db0);
            int ell = s.length();
            int rows = (ell + 8191) / 8192;
            for (int c = 0; c < s.channels(); c++) {
                double order = db0[c];
                double exact = db0[c];
                double comp = 0;
                double mag = Math.abs(db0[c]);
                for (int b = 0; b < s.batch(); b++) {
                    int at = (b * s.channels() + c) * ell;
                    double row = p == Precision.F64 ? OptimReference.blockedSum64(dy, at, at + ell, false)
                        : OptimReference.blockedSum32(dy, at, at + ell, false);
                    order = round(p, order + row);
                    double e = OptimReference.exactSum(dy, at, at + ell, false);
                    double t = exact + e;
                    comp += Math.abs(exact) >= Math.abs(e) ? (exact - t) + e : (e - t) + exact;
                    exact = t;
                    mag += OptimReference.magnitude(dy, at, at + ell, false);
                }
                exact += comp;
                String what = p + " " + s + " channel " + c;
                assertEquals(order, got[c], 0.0, what + ": the documented order");
                double bound = (40 + rows + s.batch()) * unit(p) * mag;
                double err = Math.abs(got[c] - exact);
                assertTrue(err <= bound, what + ": " + got[c] + " vs " + exact + ", error " + err + " > " + bound);
                worst = Math.max(worst, err / bound);
            }
        }
        System.out.printf("biasGrad %s: worst error %.4f of the bound%n", p, worst);
    }

    @Test
    void biasGradIsTheGradientOfBiasAddByCentralDifferences() {
        Precision p = Precision.F64;
        for (BiasShape s : List.of(new BiasShape(1, 1, 1), new BiasShape(3, 5, 17), new BiasShape(2, 3, 8200))) {
            double[] y0 = OptimReference.uniform(80, s.count(), -1, 1);
            double[] w = OptimReference.uniform(81, s.count(), -1, 1);
            double[] bias = OptimReference.uniform(82, s.channels(), -1, 1);
            double[] fd = FiniteDifferences.gradient(bias, () -> FiniteDifferences.dot(w, biasAdd(be, p, s, bias, y0, true)),
                1e-3);
            double[] got = biasGrad(be, p, s, w, new double[s.channels()]);
            Check.close("biasGrad vs central differences " + s, got, fd, Check.F64_GRADIENTS);
        }
    }

    static double[] axpy(Backend b, Precision p, AxpyShape s, double alpha, double[] x, double[] y) {
        try (DeviceBuffer bx = Host.put(b, p, x); DeviceBuffer by = Host.put(b, p, y)) {
            b.axpy(s, alpha, bx, by);
            return Host.get(b, by);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void axpyIsOneMultiplyAndOneAddPerElementAtAnyOffsets(Precision p) {
        long seed = 90;
        for (int n : new int[] {1, 17, 4096, 4097, 20011}) {
            for (int[] off : new int[][] {{0, 0}, {3, 0}, {0, 5}, {7, 2}}) {
                double[] x = Host.round(p, OptimReference.uniform(seed++, n + off[0], -1, 1));
                double[] y = Host.round(p, OptimReference.uniform(seed++, n + off[1] + 2, -1, 1));
                for (double alpha : new double[] {1.0, -0.37}) {
                    double[] got = axpy(be, p, new AxpyShape(n, off[0], off[1]), alpha, x, y);
                    double a = round(p, alpha);
                    for (int i = 0; i < y.length; i++) {
                        int j = i - off[1];
                        double want = j < 0 || j >= n ? y[i] : round(p, y[i] + round(p, a * x[off[0] + j]));
                        assertEquals(want, got[i], 0.0, p + " n=" + n + " offsets " + off[0] + "," + off[1] + " α=" + alpha
                            + " element " + i);
                    }
                }
            }
        }
        // one buffer, same range: y = y + α·y; and two ranges of one buffer that do not overlap
        double[] y = Host.round(p, OptimReference.uniform(99, 10, -1, 1));
        try (DeviceBuffer by = Host.put(be, p, y)) {
            be.axpy(AxpyShape.of(10), 0.5, by, by);
            be.axpy(new AxpyShape(4, 0, 6), 1.0, by, by);
            double[] got = Host.get(be, by);
            double[] want = new double[10];
            for (int i = 0; i < 10; i++) {
                want[i] = round(p, y[i] + round(p, 0.5 * y[i]));
            }
            for (int i = 0; i < 4; i++) {
                want[6 + i] = round(p, want[6 + i] + want[i]);
            }
            assertArrayEquals(want, got, p + " in place");
        }
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        try (DeviceBuffer small = be.allocate(Precision.F64, 5); DeviceBuffer big = be.allocate(Precision.F64, 100);
             DeviceBuffer big2 = be.allocate(Precision.F64, 100); DeviceBuffer big3 = be.allocate(Precision.F64, 100);
             DeviceBuffer big4 = be.allocate(Precision.F64, 100); DeviceBuffer f32 = be.allocate(Precision.F32, 100)) {
            BiasShape s = new BiasShape(2, 4, 3);
            AdamWStep st = AdamWStep.of(1e-3, 0, 0.9, 0.999, 1e-8, 1, 0);
            assertMessage("y has 5 elements, expected at least 24", () -> be.biasAdd(s, big, small, true));
            assertMessage("bias has 3 elements, expected at least 4", () -> be.biasAdd(s, be.allocate(Precision.F64, 3), big,
                true));
            assertMessage("bias must be a buffer other than y", () -> be.biasAdd(s, big, big, false));
            assertMessage("bias is F32, expected F64", () -> be.biasAdd(s, f32, big, false));
            assertMessage("shape must not be null", () -> be.biasGrad(null, big, big2));
            assertMessage("db must be a buffer other than dy", () -> be.biasGrad(s, big, big));
            assertMessage("db has 3 elements", () -> be.biasGrad(s, big, be.allocate(Precision.F64, 3)));
            assertMessage("y has 100 elements, expected at least 101", () -> be.axpy(new AxpyShape(100, 0, 1), 1, big, big2));
            assertMessage("x and y are one buffer with overlapping ranges [0, 50) and [10, 60)",
                () -> be.axpy(new AxpyShape(50, 0, 10), 1, big, big));
            assertMessage("alpha must be finite, got NaN", () -> be.axpy(AxpyShape.of(3), Double.NaN, big, big2));
            assertMessage("axpy count must be ≥ 1, got 0", () -> AxpyShape.of(0));
            assertMessage("axpy yOffset must be ≥ 0, got -1", () -> new AxpyShape(3, 0, -1));
            assertMessage("x has 100 elements, expected at least 101", () -> be.sumSquares(new Span(1, 100), big, small, 0));
            assertMessage("partials has 5 elements, expected at least 6", () -> be.sumSquares(Span.of(10), big, small, 5));
            assertMessage("slot must be ≥ 0, got -1", () -> be.sumSquares(Span.of(10), big, small, -1));
            assertMessage("partials must be a buffer other than x", () -> be.sumSquares(Span.of(10), big, big, 0));
            assertMessage("partials is F64, expected F32", () -> be.sumSquares(Span.of(10), f32, small, 0));
            assertMessage("span count must be ≥ 1, got 0", () -> new Span(3, 0));
            assertMessage("span offset must be ≥ 0, got -2", () -> new Span(-2, 4));
            assertMessage("m must be a buffer other than grad", () -> be.adamW(Span.of(10), st, big, big2, big2, big3, small, 1));
            assertMessage("partials must be a buffer other than param",
                () -> be.adamW(Span.of(10), st, big, big2, big3, big4, big, 1));
            assertMessage("partialCount must be ≥ 1, got 0", () -> be.adamW(Span.of(10), st, big, big2, big3, big4, small, 0));
            assertMessage("partials has 5 elements, expected at least 6",
                () -> be.adamW(Span.of(10), st, big, big2, big3, big4, small, 6));
            assertMessage("param has 100 elements, expected at least 101",
                () -> be.adamW(new Span(1, 100), st, big, big2, big3, big4, small, 1));
            assertMessage("v has 5 elements, expected at least 10",
                () -> be.adamW(Span.of(10), st, big, big2, big3, small, big4, 1));
            assertMessage("step must not be null", () -> be.adamW(Span.of(10), null, big, big2, big3, big4, small, 1));
            assertMessage("adamW beta2 must be in [0, 1), got 1.0", () -> new AdamWStep(1e-3, 0, 0.9, 1.0, 1e-8, 1, 1, 0));
            assertMessage("adamW lr must be a finite number ≥ 0, got -1.0", () -> AdamWStep.of(-1, 0, 0.9, 0.9, 1e-8, 1, 0));
            assertMessage("adamW step must be ≥ 1, got 0", () -> AdamWStep.of(1, 0, 0.9, 0.9, 1e-8, 0, 0));
            assertMessage("adamW c1 must be in (0, 1], got 0.0", () -> new AdamWStep(1e-3, 0, 0.9, 0.9, 1e-8, 0, 1, 0));
            assertMessage("adamW maxNorm must be a finite number ≥ 0, got Infinity",
                () -> AdamWStep.of(1, 0, 0.9, 0.9, 1e-8, 1, Double.POSITIVE_INFINITY));
            assertMessage("bias length must be ≥ 1, got 0", () -> new BiasShape(1, 2, 0));
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
