package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.EndsReference;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM losses against the host model's float64 ones ({@link EndsReference}) within the bounds of
 * {@code Backend.crossEntropy} and {@code Backend.mse}: gradients per element, the loss sum, the counts exactly;
 * the loss sum bit for bit {@link LossShape}'s pairwise order of the terms; the same bits on 1, 2 and 3 threads
 * over several chunks; gradients against central differences of the summed loss; ignored targets, padding,
 * invalid targets and lengths; logits of ±1000; the gradient in place of the outputs; the scalars at an offset;
 * arguments refused in one line.
 */
class LossTest extends WithJvmBackend {

    /** Cross-entropy shapes (B, K, ℓ): one class per sequence (ℓ = 1) and per position, over several chunks. */
    static final List<LossShape> CE = List.of(new LossShape(1, 1, 1), new LossShape(1, 2, 1), new LossShape(5, 10, 1),
        new LossShape(3000, 3, 1), new LossShape(1, 2, 1), new LossShape(2, 3, 17), new LossShape(3, 10, 500),
        new LossShape(4, 5, 1100));

    /** MSE shapes (B, K, ℓ). */
    static final List<LossShape> MSE = List.of(new LossShape(1, 1, 1), new LossShape(2, 1, 17), new LossShape(3, 4, 5),
        new LossShape(4, 3, 700), new LossShape(2, 2, 3000));

    static double unit(Precision p) {
        return p == Precision.F64 ? 0x1p-53 : 0x1p-24;
    }

    /** Targets in [0, K) with about a third ignored (−1, −7) for per-position shapes. */
    static int[] targets(long seed, LossShape s) {
        int[] t = EndsReference.ints(seed, s.positions(), 0, s.outputs());
        if (s.length() > 1) {
            int[] drop = EndsReference.ints(seed + 1, s.positions(), 0, 3);
            for (int i = 0; i < t.length; i++) {
                t[i] = drop[i] == 0 ? (i % 2 == 0 ? -1 : -7) : t[i];
            }
        }
        return t;
    }

    /** The kernel's outputs: gradient, then the 4 scalars. */
    record Out(double[] grad, double[] scalars) {
    }

    static Out crossEntropy(Backend be, Precision p, LossShape s, double[] z, int[] targets, double scale) {
        try (DeviceBuffer bz = Host.put(be, p, z); IndexBuffer bt = EmbeddingTest.indices(be, targets);
             DeviceBuffer g = be.allocate(p, s.count()); DeviceBuffer sc = be.allocate(p, LossShape.SCALARS)) {
            be.crossEntropy(s, bz, bt, scale, g, sc, 0);
            return new Out(Host.get(be, g), Host.get(be, sc));
        }
    }

    static Out mse(Backend be, Precision p, LossShape s, double[] y, double[] target, int[] lengths, double scale) {
        try (DeviceBuffer by = Host.put(be, p, y); DeviceBuffer bt = Host.put(be, p, target);
             IndexBuffer bn = EmbeddingTest.indices(be, lengths); DeviceBuffer g = be.allocate(p, s.count());
             DeviceBuffer sc = be.allocate(p, LossShape.SCALARS)) {
            be.mse(s, by, bt, bn, scale, g, sc, 0);
            return new Out(Host.get(be, g), Host.get(be, sc));
        }
    }

    /** Bound of a cross-entropy gradient element. */
    static double ceGradBound(Precision p, LossShape s, double scale) {
        return (2.0 * s.outputs() + 8) * unit(p) * Math.abs(scale);
    }

    /** Bound of the cross-entropy loss sum. */
    static double ceSumBound(Precision p, LossShape s, EndsReference.Loss ref) {
        double scale = ref.count();
        for (double t : ref.terms()) {
            scale += Math.abs(t);
        }
        return (2.0 * s.outputs() + LossShape.BLOCK + EndsReference.log2(s.positions()) + 4) * unit(p) * scale;
    }

    /** Bound of the sum of squares. */
    static double mseSumBound(Precision p, LossShape s, EndsReference.Loss ref) {
        double ss = 0;
        for (double t : ref.terms()) {
            ss += t;
        }
        return (LossShape.BLOCK + EndsReference.log2(s.count()) + 3) * unit(p) * ss;
    }

    /** Asserts per-element |got − ref| ≤ bound·scale_i; returns the worst ratio. */
    static double within(String what, double[] got, double[] ref, double[] scale, double bound) {
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(got[i] - ref[i]);
            assertTrue(err <= bound * scale[i], what + " element " + i + ": " + got[i] + " vs " + ref[i] + ", bound "
                + bound * scale[i]);
            if (err > 0) {
                worst = Math.max(worst, err / (bound * scale[i]));
            }
        }
        return worst;
    }

    static double[] ones(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void crossEntropyIsTheHostsWithinItsBoundsAndTheSameOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 40;
            double worstG = 0;
            double worstS = 0;
            for (LossShape s : CE) {
                for (double a : new double[] {5, 1000}) {
                    double[] z = Host.round(p, EndsReference.uniform(seed++, s.count(), a));
                    int[] t = targets(seed++, s);
                    EndsReference.Loss ref0 = EndsReference.crossEntropy(s, z, t, 1);
                    double scale = ref0.count() == 0 ? 1 : 1.0 / ref0.count();
                    double sc = Host.round(p, new double[] {scale})[0];
                    EndsReference.Loss ref = EndsReference.crossEntropy(s, z, t, sc);
                    Out out = crossEntropy(be, p, s, z, t, scale);
                    String what = p + " crossEntropy " + s + " |z| ≤ " + a;
                    worstG = Math.max(worstG, within(what + " grad", out.grad(), ref.grad(), ones(s.count()),
                        ceGradBound(p, s, sc)));
                    double err = Math.abs(out.scalars()[LossShape.LOSS_SUM] - ref.sum());
                    assertTrue(err <= ceSumBound(p, s, ref), what + " loss sum " + out.scalars()[0] + " vs " + ref.sum());
                    worstS = Math.max(worstS, err == 0 ? 0 : err / ceSumBound(p, s, ref));
                    assertEquals(ref.correct(), out.scalars()[LossShape.CORRECT], 0.0, what + " correct");
                    assertEquals(ref.count(), out.scalars()[LossShape.COUNT], 0.0, what + " count");
                    assertEquals(0, out.scalars()[LossShape.INVALID], 0.0, what + " invalid");
                    if (p == Precision.F64) {
                        assertEquals(EndsReference.pairwise(EndsReference.crossEntropyTerms(s, z, t), false),
                            out.scalars()[LossShape.LOSS_SUM], 0.0, what + ": the pairwise sum of the terms");
                    }
                    for (Backend other : new Backend[] {one, three}) {
                        Out o = crossEntropy(other, p, s, z, t, scale);
                        assertArrayEquals(out.grad(), o.grad(), what + " grad on " + other.hostWorkers());
                        assertArrayEquals(out.scalars(), o.scalars(), what + " scalars on " + other.hostWorkers());
                    }
                }
            }
            System.out.printf("crossEntropy %s: worst %.3f of the gradient bound, %.3f of the sum bound%n", p, worstG, worstS);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void mseIsTheHostsWithinItsBoundsAndTheSameOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 60;
            double worstG = 0;
            double worstS = 0;
            for (LossShape s : MSE) {
                int[] lengths = EndsReference.lengths(seed++, s.batch(), s.length());
                double[] y = Host.round(p, EndsReference.uniform(seed++, s.count(), 2));
                double[] target = Host.round(p, EndsReference.uniform(seed++, s.count(), 2));
                for (int i = 0; i < y.length; i++) {
                    if (i % s.length() >= lengths[i / (s.outputs() * s.length())]) {
                        y[i] = Double.NaN;   // padding is not read
                        target[i] = Double.NaN;
                    }
                }
                long count = EndsReference.mse(s, y, target, lengths, 1).count();
                double scale = 1.0 / count;
                double sc = Host.round(p, new double[] {scale})[0];
                EndsReference.Loss ref = EndsReference.mse(s, y, target, lengths, sc);
                Out out = mse(be, p, s, y, target, lengths, scale);
                String what = p + " mse " + s;
                worstG = Math.max(worstG, within(what + " grad", out.grad(), ref.grad(), abs(ref.grad()), 4 * unit(p)));
                double err = Math.abs(out.scalars()[LossShape.LOSS_SUM] - ref.sum());
                assertTrue(err <= mseSumBound(p, s, ref), what + " sum " + out.scalars()[0] + " vs " + ref.sum());
                worstS = Math.max(worstS, err / mseSumBound(p, s, ref));
                assertEquals(0, out.scalars()[LossShape.CORRECT], 0.0, what + " correct");
                assertEquals(count, out.scalars()[LossShape.COUNT], 0.0, what + " count");
                assertEquals(0, out.scalars()[LossShape.INVALID], 0.0, what + " invalid");
                double[] terms = new double[s.count()];
                for (int i = 0; i < terms.length; i++) {
                    if (ref.terms()[i] != 0) {
                        double d = p == Precision.F64 ? y[i] - target[i] : (float) (y[i] - target[i]);
                        terms[i] = p == Precision.F64 ? d * d : (float) (d * d);
                    }
                }
                assertEquals(EndsReference.pairwise(terms, p == Precision.F32), out.scalars()[LossShape.LOSS_SUM], 0.0,
                    what + ": the pairwise sum of the squares");
                for (Backend other : new Backend[] {one, three}) {
                    Out o = mse(other, p, s, y, target, lengths, scale);
                    assertArrayEquals(out.grad(), o.grad(), what + " grad on " + other.hostWorkers());
                    assertArrayEquals(out.scalars(), o.scalars(), what + " scalars on " + other.hostWorkers());
                }
            }
            System.out.printf("mse %s: worst %.3f of the gradient bound, %.3f of the sum bound%n", p, worstG, worstS);
        }
    }

    static double[] abs(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    @Test
    void theGradientsAreCentralDifferencesOfTheScaledLossSum() {
        LossShape s = new LossShape(2, 4, 3);
        int[] t = {0, -1, 3, 2, 2, -1};
        double[] z = EndsReference.uniform(3, s.count(), 2);
        double scale = 0.25;
        double[] fd = FiniteDifferences.gradient(z, () -> scale * crossEntropy(be, Precision.F64, s, z, t, scale).scalars()[0],
            1e-3);
        Out out = crossEntropy(be, Precision.F64, s, z, t, scale);
        for (int i = 0; i < fd.length; i++) {
            assertEquals(fd[i], out.grad()[i], 1e-9, "crossEntropy grad[" + i + "]");
        }
        int[] lengths = {3, 2};
        double[] target = EndsReference.uniform(4, s.count(), 2);
        double[] y = EndsReference.uniform(5, s.count(), 2);
        double ms = 1.0 / 20;
        double[] fdm = FiniteDifferences.gradient(y, () -> ms * mse(be, Precision.F64, s, y, target, lengths, ms).scalars()[0],
            1e-3);
        Out m = mse(be, Precision.F64, s, y, target, lengths, ms);
        for (int i = 0; i < fdm.length; i++) {
            assertEquals(fdm[i], m.grad()[i], 1e-9, "mse grad[" + i + "]");
        }
        assertEquals(20, m.scalars()[LossShape.COUNT], 0.0);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void invalidTargetsAndLengthsGiveNaNAndAreCounted(Precision p) {
        LossShape s = new LossShape(1, 3, 4);
        double[] z = EndsReference.uniform(1, s.count(), 1);
        Out out = crossEntropy(be, p, s, z, new int[] {0, 3, -1, 7}, 0.5);
        for (int c = 0; c < 3; c++) {
            assertTrue(!Double.isNaN(out.grad()[c * 4]) && Double.isNaN(out.grad()[c * 4 + 1])
                && out.grad()[c * 4 + 2] == 0 && Double.isNaN(out.grad()[c * 4 + 3]), p + " " + java.util.Arrays.toString(out.grad()));
        }
        assertTrue(Double.isNaN(out.scalars()[LossShape.LOSS_SUM]), p + " " + java.util.Arrays.toString(out.scalars()));
        assertEquals(1, out.scalars()[LossShape.COUNT], 0.0);
        assertEquals(2, out.scalars()[LossShape.INVALID], 0.0);
        LossShape m = new LossShape(3, 2, 4);
        Out o = mse(be, p, m, EndsReference.uniform(2, 24, 1), EndsReference.uniform(3, 24, 1), new int[] {0, 2, 5}, 0.25);
        for (int i = 0; i < 24; i++) {
            assertEquals(i / 8 != 1, Double.isNaN(o.grad()[i]), p + " " + java.util.Arrays.toString(o.grad()));
        }
        assertTrue(Double.isNaN(o.scalars()[LossShape.LOSS_SUM]));
        assertEquals(4, o.scalars()[LossShape.COUNT], 0.0);
        assertEquals(2, o.scalars()[LossShape.INVALID], 0.0);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theGradientMayReplaceTheOutputsAndTheScalarsGoToTheirOffset(Precision p) {
        LossShape s = new LossShape(3, 5, 7);
        double[] z = Host.round(p, EndsReference.uniform(7, s.count(), 3));
        int[] t = targets(8, s);
        Out out = crossEntropy(be, p, s, z, t, 0.125);
        double[] before = {42, 42, 42, 42, 42, 42, 42, 42, 42};
        try (DeviceBuffer bz = Host.put(be, p, z); IndexBuffer bt = EmbeddingTest.indices(be, t);
             DeviceBuffer sc = Host.put(be, p, before)) {
            be.crossEntropy(s, bz, bt, 0.125, bz, sc, 5);
            assertArrayEquals(out.grad(), Host.get(be, bz), p + " in place");
            double[] got = Host.get(be, sc);
            assertArrayEquals(new double[] {42, 42, 42, 42, 42}, java.util.Arrays.copyOf(got, 5));
            assertArrayEquals(out.scalars(), java.util.Arrays.copyOfRange(got, 5, 9));
        }
        int[] lengths = {7, 3, 1};
        double[] target = Host.round(p, EndsReference.uniform(9, s.count(), 3));
        Out m = mse(be, p, s, z, target, lengths, 0.5);
        try (DeviceBuffer by = Host.put(be, p, z); DeviceBuffer bt = Host.put(be, p, target);
             IndexBuffer bn = EmbeddingTest.indices(be, lengths); DeviceBuffer sc = Host.put(be, p, before)) {
            be.mse(s, by, bt, bn, 0.5, by, sc, 0);
            assertArrayEquals(m.grad(), Host.get(be, by), p + " mse in place");
            double[] got = Host.get(be, sc);
            assertArrayEquals(m.scalars(), java.util.Arrays.copyOf(got, 4));
            assertArrayEquals(new double[] {42, 42, 42, 42, 42}, java.util.Arrays.copyOfRange(got, 4, 9));
        }
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        LossShape s = new LossShape(2, 3, 2);
        try (DeviceBuffer z = be.allocate(Precision.F64, 12); DeviceBuffer g = be.allocate(Precision.F64, 12);
             DeviceBuffer sc = be.allocate(Precision.F64, 10); DeviceBuffer sc32 = be.allocate(Precision.F32, 10);
             IndexBuffer t = be.allocateIndices(4); IndexBuffer small = be.allocateIndices(3)) {
            EmbeddingTest.assertMessage("scalars range [8, 12) is outside [0, 10)", () -> be.crossEntropy(s, z, t, 1, g, sc, 8));
            EmbeddingTest.assertMessage("scalars range [-1, 3) is outside [0, 10)", () -> be.crossEntropy(s, z, t, 1, g, sc, -1));
            EmbeddingTest.assertMessage("scale must be finite, got NaN", () -> be.crossEntropy(s, z, t, Double.NaN, g, sc, 0));
            EmbeddingTest.assertMessage("scalars must be a buffer other than logits", () -> be.crossEntropy(s, z, t, 1, g, z, 0));
            EmbeddingTest.assertMessage("scalars must be a buffer other than grad", () -> be.crossEntropy(s, z, t, 1, g, g, 0));
            EmbeddingTest.assertMessage("targets has 3 integers, expected at least 4", () -> be.crossEntropy(s, z, small, 1, g, sc, 0));
            EmbeddingTest.assertMessage("scalars is F32, expected F64", () -> be.crossEntropy(s, z, t, 1, g, sc32, 0));
            EmbeddingTest.assertMessage("grad must be a buffer other than targets", () -> be.mse(s, z, g, t, 1, g, sc, 0));
            EmbeddingTest.assertMessage("lengths has 3 integers, expected at least 4",
                () -> be.mse(new LossShape(4, 1, 3), z, g, small, 1, z, sc, 0));
        }
        EmbeddingTest.assertMessage("loss outputs must be ≥ 1, got 0", () -> new LossShape(1, 0, 1));
        EmbeddingTest.assertMessage("loss batch·outputs·length must be ≤ 2147483647, got 4294967296",
            () -> new LossShape(65536, 256, 256));
    }
}
