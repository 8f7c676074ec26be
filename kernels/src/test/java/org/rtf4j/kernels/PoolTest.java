package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.EndsReference;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM pooling against the host model's ({@link EndsReference}): MEAN within the bound of {@code Backend.pool}
 * of the exact mean (and bit for bit {@link LossShape}'s pairwise sum divided by n), LAST exactly, padding never
 * read (NaN there changes nothing), the backward bit for bit the host's g / n and g and writing every element of
 * dx; the same bits on 1, 2 and 3 threads; central differences; a length outside [1, ℓ] gives NaN; a float32 mean
 * of 2^17 values stays within its bound where a running float32 sum would not.
 */
class PoolTest extends WithJvmBackend {

    static List<PoolShape> shapes() {
        List<PoolShape> out = new ArrayList<>();
        int[][] bcl = {{1, 1, 1}, {1, 1, 17}, {3, 2, 5}, {2, 5, 1}, {4, 7, 333}, {2, 3, 1500}};
        for (PoolShape.Mode m : PoolShape.Mode.values()) {
            for (int[] s : bcl) {
                out.add(new PoolShape(s[0], s[1], s[2], m));
            }
        }
        return out;
    }

    static double[] pool(Backend be, Precision p, PoolShape s, int[] lengths, double[] x) {
        try (IndexBuffer n = EmbeddingTest.indices(be, lengths); DeviceBuffer bx = Host.put(be, p, x);
             DeviceBuffer y = be.allocate(p, s.outputCount())) {
            be.pool(s, n, bx, y);
            return Host.get(be, y);
        }
    }

    /** dx after the backward into a buffer that held 7 everywhere (so unwritten elements show). */
    static double[] poolBackward(Backend be, Precision p, PoolShape s, int[] lengths, double[] dy) {
        double[] seven = new double[s.inputCount()];
        java.util.Arrays.fill(seven, 7);
        try (IndexBuffer n = EmbeddingTest.indices(be, lengths); DeviceBuffer g = Host.put(be, p, dy);
             DeviceBuffer dx = Host.put(be, p, seven)) {
            be.poolBackward(s, n, g, dx);
            return Host.get(be, dx);
        }
    }

    /** x with NaN at every padding position. */
    static double[] withNaNPadding(PoolShape s, int[] lengths, double[] x) {
        double[] out = x.clone();
        for (int r = 0; r < s.outputCount(); r++) {
            for (int t = lengths[r / s.channels()]; t < s.length(); t++) {
                out[r * s.length() + t] = Double.NaN;
            }
        }
        return out;
    }

    static double unit(Precision p) {
        return p == Precision.F64 ? 0x1p-53 : 0x1p-24;
    }

    /** The bound of Backend.pool for a mean over up to ℓ positions, per element (scale Σ|x|/n). */
    static double meanBound(Precision p, int ell) {
        return (LossShape.BLOCK + EndsReference.log2(ell) + 2) * unit(p);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void poolingIsTheHostsOverTheValidPositionsOnAnyThreadCount(Precision p) {
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 20;
            for (PoolShape s : shapes()) {
                int[] lengths = EndsReference.lengths(seed++, s.batch(), s.length());
                double[] x = withNaNPadding(s, lengths, Host.round(p, EndsReference.uniform(seed++, s.inputCount(), 1)));
                double[] dy = Host.round(p, EndsReference.uniform(seed++, s.outputCount(), 1));
                double[] y = pool(be, p, s, lengths, x);
                double[] ref = EndsReference.pool(s, lengths, x);
                double[] scale = EndsReference.poolScale(s, lengths, x);
                for (int r = 0; r < y.length; r++) {
                    if (s.mode() == PoolShape.Mode.LAST) {
                        assertEquals(ref[r], y[r], 0.0, p + " " + s + " row " + r);
                    } else {
                        assertTrue(Math.abs(y[r] - ref[r]) <= meanBound(p, s.length()) * scale[r], p + " " + s + " row " + r
                            + ": " + y[r] + " vs " + ref[r]);
                        int n = lengths[r / s.channels()];
                        double[] row = java.util.Arrays.copyOfRange(x, r * s.length(), r * s.length() + n);
                        double pw = EndsReference.pairwise(row, p == Precision.F32);
                        double mean = p == Precision.F64 ? pw / n : (float) ((float) pw / (float) n);
                        assertEquals(mean, y[r], 0.0, p + " " + s + " row " + r + ": the pairwise sum / n");
                    }
                }
                double[] dx = poolBackward(be, p, s, lengths, dy);
                double[] dxRef = EndsReference.poolBackward(s, lengths, dy);
                if (p == Precision.F32) {
                    dxRef = Host.round(p, dxRef);
                }
                assertArrayEquals(dxRef, dx, p + " poolBackward " + s);
                for (Backend other : new Backend[] {one, three}) {
                    assertArrayEquals(y, pool(other, p, s, lengths, x), p + " pool " + s + " on " + other.hostWorkers());
                    assertArrayEquals(dx, poolBackward(other, p, s, lengths, dy), p + " poolBackward " + s + " on "
                        + other.hostWorkers());
                }
            }
        }
    }

    @Test
    void theBackwardIsTheCentralDifferenceOfThePooling() {
        for (PoolShape.Mode m : PoolShape.Mode.values()) {
            PoolShape s = new PoolShape(3, 2, 6, m);
            int[] lengths = {6, 1, 4};
            double[] x = EndsReference.uniform(5, s.inputCount(), 1);
            double[] w = EndsReference.uniform(6, s.outputCount(), 1);
            double[] fd = FiniteDifferences.gradient(x, () -> FiniteDifferences.dot(w, pool(be, Precision.F64, s, lengths, x)),
                1e-3);
            double[] dx = poolBackward(be, Precision.F64, s, lengths, w);
            for (int i = 0; i < dx.length; i++) {
                assertEquals(fd[i], dx[i], 1e-9, m + " dx[" + i + "]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aLengthOutsideOneToEllGivesNaNForItsSequence(Precision p) {
        for (PoolShape.Mode m : PoolShape.Mode.values()) {
            PoolShape s = new PoolShape(3, 2, 4, m);
            int[] lengths = {0, 4, 5};
            double[] x = EndsReference.uniform(1, s.inputCount(), 1);
            double[] y = pool(be, p, s, lengths, x);
            double[] dx = poolBackward(be, p, s, lengths, new double[] {1, 1, 1, 1, 1, 1});
            for (int r = 0; r < 6; r++) {
                assertEquals(r / 2 != 1, Double.isNaN(y[r]), m + " " + p + " y " + java.util.Arrays.toString(y));
                for (int t = 0; t < 4; t++) {
                    assertEquals(r / 2 != 1, Double.isNaN(dx[r * 4 + t]), m + " " + p + " dx " + java.util.Arrays.toString(dx));
                }
            }
        }
    }

    /**
     * 2^17 values of about 1 + 2^-10: a running float32 sum loses the fractions once it passes 2^14 (about 8e-4 of the
     * mean), the pairwise sum stays within its bound (about 2e-6).
     */
    @Test
    void aLongFloat32MeanStaysWithinItsBound() {
        int ell = 1 << 17;
        PoolShape s = new PoolShape(1, 1, ell, PoolShape.Mode.MEAN);
        double[] x = Host.round(Precision.F32, EndsReference.uniform(3, ell, 0x1p-12));
        for (int i = 0; i < ell; i++) {
            x[i] = (float) (x[i] + 1 + 0x1p-10);
        }
        int[] lengths = {ell};
        double y = pool(be, Precision.F32, s, lengths, x)[0];
        double ref = EndsReference.pool(s, lengths, x)[0];
        double bound = meanBound(Precision.F32, ell) * EndsReference.poolScale(s, lengths, x)[0];
        float naive = 0;
        for (double v : x) {
            naive += (float) v;
        }
        assertTrue(Math.abs(y - ref) <= bound, "pairwise mean " + y + " vs " + ref + ", bound " + bound);
        assertTrue(Math.abs(naive / ell - ref) > bound, "the test is too easy: a running sum is within the bound too");
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        PoolShape s = new PoolShape(2, 3, 4, PoolShape.Mode.MEAN);
        try (IndexBuffer n = be.allocateIndices(2); IndexBuffer small = be.allocateIndices(1);
             DeviceBuffer x = be.allocate(Precision.F64, 24); DeviceBuffer y = be.allocate(Precision.F64, 6);
             DeviceBuffer y32 = be.allocate(Precision.F32, 6)) {
            EmbeddingTest.assertMessage("lengths has 1 integers, expected at least 2", () -> be.pool(s, small, x, y));
            EmbeddingTest.assertMessage("y is F32, expected F64", () -> be.pool(s, n, x, y32));
            EmbeddingTest.assertMessage("y must be a buffer other than x", () -> be.pool(s, n, x, x));
            EmbeddingTest.assertMessage("dx has 6 elements, expected at least 24", () -> be.poolBackward(s, n, x, y));
            EmbeddingTest.assertMessage("dx must be a buffer other than dy", () -> be.poolBackward(s, n, x, x));
            EmbeddingTest.assertMessage("pooling mode must be MEAN or LAST, got null", () -> new PoolShape(1, 1, 1, null));
            EmbeddingTest.assertMessage("pooling length must be ≥ 1, got 0", () -> new PoolShape(1, 1, 0, PoolShape.Mode.LAST));
        }
    }
}
