package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rtf4j.kernels.testing.OptimRuns.SIZES;
import static org.rtf4j.kernels.testing.OptimRuns.assertSame;
import static org.rtf4j.kernels.testing.OptimRuns.axpy;
import static org.rtf4j.kernels.testing.OptimRuns.biasAdd;
import static org.rtf4j.kernels.testing.OptimRuns.biasGrad;
import static org.rtf4j.kernels.testing.OptimRuns.gradients;
import static org.rtf4j.kernels.testing.OptimRuns.hyper;
import static org.rtf4j.kernels.testing.OptimRuns.reference;
import static org.rtf4j.kernels.testing.OptimRuns.run;
import static org.rtf4j.kernels.testing.OptimRuns.sumSquares;
import static org.rtf4j.kernels.testing.OptimRuns.tensors;
import static org.rtf4j.kernels.testing.OptimRuns.unit;
import static org.rtf4j.kernels.testing.OptimRuns.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
import org.rtf4j.kernels.testing.OptimRuns.Reference;
import org.rtf4j.kernels.testing.OptimRuns.State;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM's optimiser kernels (BIAS_ADD, BIAS_GRAD, AXPY, SUM_SQUARES, ADAMW) against plain float64 references
 * ({@link OptimReference}: the float64 AdamW update after global-norm clipping (train.optim.AdamW), the Linear bias loops, compensated sums) within
 * the bounds {@code Backend} states, bit for bit where it says so (bias add, axpy, the documented blocked order,
 * float64 AdamW without clipping); the bias gradient against central differences of the bias add; the same bits on
 * 1, 2 and 3 threads; a non-finite gradient leaves parameters and moments untouched and marks its slot; arguments
 * refused in one line.
 */
class OptimKernelsTest extends WithJvmBackend {
    /** AdamW bounds of Backend.adamW, in units of {@link #unit}: parameters and moments per update. */
    static final double ADAMW_F32 = 16;
    static final double ADAMW_F64_CLIPPED = 16;

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
