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
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.FiniteDifferences;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.NormReference;
import org.rtf4j.kernels.testing.NormRuns;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM's LayerNorm, BatchNorm and padding mask against the float64 references of the host model's formulas
 * ({@link NormReference}) within the bounds {@code Backend.layerNorm} .. {@code maskPadding} state: LayerNorm's
 * float64 forward bit for bit; the rest within 1e-12 in float64 and the stated float32 bounds; the backwards
 * also against central differences of Σ w·y; dγ and dβ accumulated; the same bits on 1, 2 and 3 threads and
 * with the allowed aliasing; arguments refused in one line. Shapes with B = 1, C = 1, ℓ = 1, odd ℓ, ℓ across
 * several chunks and position blocks, and lengths with padding.
 */
class NormTest extends WithJvmBackend {
    /** Shapes (B, C, ℓ). */
    static final List<NormShape> SHAPES = List.of(new NormShape(1, 1, 1), new NormShape(1, 1, 5), new NormShape(1, 3, 1),
        new NormShape(2, 3, 7), new NormShape(3, 5, 300), new NormShape(2, 16, 777), new NormShape(4, 64, 130));
    /** float32 bound of the forwards per log2(2n), n the longest sum (C or B·ℓ), in {@code Check.error}'s measure. */
    static final double F32_VALUES_PER_LOG2 = 2e-6;
    /** float32 bound of the backwards per log2(2n). */
    static final double F32_GRADIENTS_PER_LOG2 = 4e-6;
    static final double F64_VALUES = 1e-12;

    static double log2(NormShape s) {
        int n = Math.max(s.channels(), s.batch() * s.length());
        return Math.log(2.0 * n) / Math.log(2);
    }

    static double f32Values(NormShape s) {
        return F32_VALUES_PER_LOG2 * log2(s);
    }

    static double f32Gradients(NormShape s) {
        return F32_GRADIENTS_PER_LOG2 * log2(s);
    }

    /** Inputs of a shape: x with a per-channel offset (so means are not zero), γ around 1, β around 0. */
    static double[][] inputs(NormShape s, long seed) {
        double[] x = NormReference.uniform(seed, s.count(), -1, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.3 * ((i / s.length()) % s.channels()) - 0.2;
        }
        return new double[][] {x, NormReference.uniform(seed + 1, s.channels(), 0.5, 1.5),
            NormReference.uniform(seed + 2, s.channels(), -0.5, 0.5), NormReference.uniform(seed + 3, s.count(), -1, 1),
            NormReference.uniform(seed + 4, s.channels(), -1, 1), NormReference.uniform(seed + 5, s.channels(), -1, 1)};
    }

    static double[] plus(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }

    static double worst = 0;

    static double close(String what, double[] got, double[] ref, double tol) {
        return Check.close(what, got, ref, tol);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void layerNormIsTheHostFormulas(Precision p) {
        double w = 0;
        long seed = 10;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(s, seed++);
            double[] x = Host.round(p, in[0]);
            double[] g = Host.round(p, in[1]);
            double[] b = Host.round(p, in[2]);
            double[] mean = new double[s.positions()];
            double[] invStd = new double[s.positions()];
            double[] y = NormReference.layerNorm(x, g, b, s.batch(), s.channels(), s.length(), mean, invStd);
            double[][] got = NormRuns.layerNorm(be, p, s, x, g, b);
            if (p == Precision.F64) {
                assertArrayEquals(y, got[0], s + " y");
                assertArrayEquals(mean, got[1], s + " mean");
                assertArrayEquals(invStd, got[2], s + " invStd");
            } else {
                // LayerNorm sums over the C channels only
                double tol = F32_VALUES_PER_LOG2 * Math.log(2.0 * s.channels()) / Math.log(2);
                w = Math.max(w, close(s + " y", got[0], y, tol));
                w = Math.max(w, close(s + " mean", got[1], mean, tol));
                w = Math.max(w, close(s + " invStd", got[2], invStd, tol));
            }
        }
        System.out.printf("layerNorm %s: worst error %.3e%n", p, w);
    }

    static double max(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void layerNormBackwardIsTheReferenceAndAccumulates(Precision p) {
        double w = 0;
        long seed = 20;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(s, seed++);
            double[] x = Host.round(p, in[0]);
            double[] g = Host.round(p, in[1]);
            double[] dy = Host.round(p, in[3]);
            double[] dg0 = Host.round(p, in[4]);
            double[] db0 = Host.round(p, in[5]);
            double[] dg = dg0.clone();
            double[] db = db0.clone();
            double[] dx = NormReference.layerNormBackward(x, g, dy, s.batch(), s.channels(), s.length(), dg, db);
            double[][] got = NormRuns.layerNormBackward(be, p, s, x, g, dy, dg0, db0);
            double tol = p == Precision.F64 ? F64_VALUES : f32Gradients(s);
            w = Math.max(w, close(p + " " + s + " dx", got[0], dx, tol));
            w = Math.max(w, close(p + " " + s + " dGamma", got[1], dg, tol));
            w = Math.max(w, close(p + " " + s + " dBeta", got[2], db, tol));
        }
        System.out.printf("layerNormBackward %s: worst error %.3e%n", p, w);
    }

    @Test
    void layerNormBackwardIsTheGradientOfTheForward() {
        for (NormShape s : List.of(new NormShape(1, 1, 3), new NormShape(2, 3, 5), new NormShape(2, 4, 67))) {
            double[][] in = inputs(s, 30);
            double[] x = in[0];
            double[] g = in[1];
            double[] b = in[2];
            double[] wgt = in[3];
            int c = s.channels();
            java.util.function.DoubleSupplier loss = () -> FiniteDifferences.dot(wgt,
                NormReference.layerNorm(x, g, b, s.batch(), c, s.length(), null, null));
            double[][] got = NormRuns.layerNormBackward(be, Precision.F64, s, x, g, wgt, new double[c], new double[c]);
            Check.close(s + " dx vs central differences", got[0], FiniteDifferences.gradient(x, loss, 1e-4), Check.F64_GRADIENTS);
            Check.close(s + " dGamma vs central differences", got[1], FiniteDifferences.gradient(g, loss, 1e-4),
                Check.F64_GRADIENTS);
            Check.close(s + " dBeta vs central differences", got[2], FiniteDifferences.gradient(b, loss, 1e-4),
                Check.F64_GRADIENTS);
        }
    }

    /** (lengths or null, training) cases of BatchNorm for shape s. */
    static List<Object[]> batchCases(NormShape s, long seed) {
        int[] padded = NormReference.lengths(seed, s.batch(), s.length());
        return List.of(new Object[] {padded, true}, new Object[] {null, true}, new Object[] {padded, false});
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void batchNormIsTheHostFormulasWithRunningStatistics(Precision p) {
        double w = 0;
        long seed = 40;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(s, seed++);
            for (Object[] k : batchCases(s, seed++)) {
                int[] lengths = (int[]) k[0];
                boolean training = (Boolean) k[1];
                double[] x = Host.round(p, in[0]);
                double[] g = Host.round(p, in[1]);
                double[] b = Host.round(p, in[2]);
                double[] rm0 = Host.round(p, in[4]);
                double[] rv0 = Host.round(p, NormReference.uniform(seed, s.channels(), 0.5, 2));
                double[] rm = rm0.clone();
                double[] rv = rv0.clone();
                double[] mean = new double[s.channels()];
                double[] invStd = new double[s.channels()];
                double[] y = NormReference.batchNorm(x, lengths, g, b, rm, rv, training, s.batch(), s.channels(), s.length(),
                    mean, invStd);
                double[][] got = NormRuns.batchNorm(be, p, s, training, x, lengths, g, b, rm0, rv0);
                String what = p + " " + s + (lengths == null ? " all valid" : " padded") + (training ? " training" : " eval");
                double tol = p == Precision.F64 ? F64_VALUES : f32Values(s);
                double[][] ref = {y, mean, invStd, rm, rv};
                String[] names = {"y", "mean", "invStd", "runningMean", "runningVar"};
                for (int i = 0; i < 5; i++) {
                    w = Math.max(w, close(what + " " + names[i], got[i], ref[i], tol));
                }
            }
        }
        System.out.printf("batchNorm %s: worst error %.3e%n", p, w);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void batchNormBackwardIsTheReferenceAndAccumulates(Precision p) {
        double w = 0;
        long seed = 50;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(s, seed++);
            for (Object[] k : batchCases(s, seed++)) {
                int[] lengths = (int[]) k[0];
                boolean training = (Boolean) k[1];
                double[] x = Host.round(p, in[0]);
                double[] g = Host.round(p, in[1]);
                double[] dy = Host.round(p, in[3]);
                double[] dg0 = Host.round(p, in[4]);
                double[] db0 = Host.round(p, in[5]);
                double[] rm0 = Host.round(p, in[4]);
                double[] rv0 = Host.round(p, NormReference.uniform(seed, s.channels(), 0.5, 2));
                double[] mean = new double[s.channels()];
                double[] invStd = new double[s.channels()];
                NormReference.batchNorm(x, lengths, g, new double[s.channels()], rm0.clone(), rv0.clone(), training, s.batch(),
                    s.channels(), s.length(), mean, invStd);
                double[] dg = dg0.clone();
                double[] db = db0.clone();
                double[] dx = NormReference.batchNormBackward(x, lengths, g, mean, invStd, dy, training, s.batch(), s.channels(),
                    s.length(), dg, db);
                double[][] got = NormRuns.batchNormBackward(be, p, s, training, x, lengths, g, rm0, rv0, dy, dg0, db0);
                String what = p + " " + s + (lengths == null ? " all valid" : " padded") + (training ? " training" : " eval");
                double tol = p == Precision.F64 ? F64_VALUES : f32Gradients(s);
                w = Math.max(w, close(what + " dx", got[0], dx, tol));
                w = Math.max(w, close(what + " dGamma", got[1], dg, tol));
                w = Math.max(w, close(what + " dBeta", got[2], db, tol));
            }
        }
        System.out.printf("batchNormBackward %s: worst error %.3e%n", p, w);
    }

    /**
     * With the output gradient zero at the padding (as the model masks it), the backward is the gradient of the
     * forward, padding positions included (their dx is then 0, as is the true derivative).
     */
    @Test
    void batchNormBackwardIsTheGradientOfTheForwardWhenThePaddingGradientIsZero() {
        for (NormShape s : List.of(new NormShape(1, 1, 3), new NormShape(3, 2, 5), new NormShape(2, 3, 70))) {
            double[][] in = inputs(s, 60);
            double[] x = in[0];
            double[] g = in[1];
            double[] b = in[2];
            double[] wgt = in[3];
            int c = s.channels();
            int[] lengths = NormReference.lengths(61, s.batch(), s.length());
            for (int r = 0; r < s.batch() * c; r++) {
                for (int t = lengths[r / c]; t < s.length(); t++) {
                    wgt[r * s.length() + t] = 0;
                }
            }
            double[] rm = new double[c];
            double[] rv = new double[c];
            java.util.Arrays.fill(rv, 1);
            for (boolean training : new boolean[] {true, false}) {
                java.util.function.DoubleSupplier loss = () -> FiniteDifferences.dot(wgt,
                    NormReference.batchNorm(x, lengths, g, b, rm.clone(), rv.clone(), training, s.batch(), c, s.length(), null,
                        null));
                double[][] got = NormRuns.batchNormBackward(be, Precision.F64, s, training, x, lengths, g, rm, rv, wgt,
                    new double[c], new double[c]);
                String what = s + (training ? " training" : " eval");
                Check.close(what + " dx vs central differences", got[0], FiniteDifferences.gradient(x, loss, 1e-4),
                    Check.F64_GRADIENTS);
                Check.close(what + " dGamma vs central differences", got[1], FiniteDifferences.gradient(g, loss, 1e-4),
                    Check.F64_GRADIENTS);
                Check.close(what + " dBeta vs central differences", got[2], FiniteDifferences.gradient(b, loss, 1e-4),
                    Check.F64_GRADIENTS);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void maskPaddingZeroesExactlyThePadding(Precision p) {
        NormShape s = new NormShape(4, 3, 9);
        int[] lengths = {9, 1, 5, 12};
        double[] x = Host.round(p, NormReference.uniform(70, s.count(), -1, 1));
        x[s.length() * 3] = Double.NaN;
        double[] got = NormRuns.maskPadding(be, p, s, lengths, x);
        for (int b = 0; b < s.batch(); b++) {
            for (int c = 0; c < s.channels(); c++) {
                for (int t = 0; t < s.length(); t++) {
                    int i = (b * s.channels() + c) * s.length() + t;
                    double want = t < Math.min(lengths[b], s.length()) ? x[i] : 0.0;
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]), "element " + i);
                }
            }
        }
    }

    /** Every kernel's outputs, flattened, on one backend. */
    static double[] everything(Backend b, Precision p, NormShape s, double[][] in, int[] lengths) {
        double[][] ln = NormRuns.layerNorm(b, p, s, in[0], in[1], in[2]);
        double[][] lb = NormRuns.layerNormBackward(b, p, s, in[0], in[1], in[3], in[4], in[5]);
        double[][] bn = NormRuns.batchNorm(b, p, s, true, in[0], lengths, in[1], in[2], in[4], in[5]);
        double[][] bb = NormRuns.batchNormBackward(b, p, s, true, in[0], lengths, in[1], in[4], in[5], in[3], in[4], in[5]);
        double[] m = NormRuns.maskPadding(b, p, s, lengths, in[0]);
        return java.util.stream.Stream.of(ln, lb, bn, bb, new double[][] {m}).flatMap(java.util.Arrays::stream)
            .flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theSameBitsOnOneTwoAndThreeThreads(Precision p) {
        NormShape s = new NormShape(3, 7, 600);
        double[][] in = inputs(s, 80);
        for (int i = 0; i < in.length; i++) {
            in[i] = Host.round(p, in[i]);
        }
        int[] lengths = NormReference.lengths(81, s.batch(), s.length());
        double[] two = everything(be, p, s, in, lengths);
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            assertArrayEquals(two, everything(one, p, s, in, lengths), "1 vs 2 threads");
            assertArrayEquals(two, everything(three, p, s, in, lengths), "3 vs 2 threads");
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void inPlaceGivesTheSameBits(Precision p) {
        NormShape s = new NormShape(2, 5, 301);
        double[][] in = inputs(s, 90);
        int c = s.channels();
        int[] lengths = NormReference.lengths(91, s.batch(), s.length());
        try (IndexBuffer l = be.allocateIndices(2)) {
            be.writeIndices(l, 0, lengths, 0, 2);
            for (boolean batch : new boolean[] {false, true}) {
                try (DeviceBuffer x = Host.put(be, p, in[0]); DeviceBuffer g = Host.put(be, p, in[1]);
                     DeviceBuffer b = Host.put(be, p, in[2]); DeviceBuffer y = be.allocate(p, s.count());
                     DeviceBuffer xy = Host.put(be, p, in[0]); DeviceBuffer rm = be.allocate(p, Math.max(c, s.positions()));
                     DeviceBuffer rv = be.allocate(p, Math.max(c, s.positions())); DeviceBuffer rm2 = be.allocate(p, c);
                     DeviceBuffer rv2 = be.allocate(p, c); DeviceBuffer m = be.allocate(p, s.positions());
                     DeviceBuffer is = be.allocate(p, s.positions()); DeviceBuffer dy = Host.put(be, p, in[3]);
                     DeviceBuffer dyx = Host.put(be, p, in[3]); DeviceBuffer dx = be.allocate(p, s.count());
                     DeviceBuffer dg = be.allocate(p, c); DeviceBuffer db = be.allocate(p, c)) {
                    if (batch) {
                        be.batchNorm(s, true, x, l, g, b, rm2, rv2, y, m, is);
                        be.batchNormBackward(s, true, x, l, g, m, is, dy, dx, dg, db);
                        be.batchNormBackward(s, true, x, l, g, m, is, dyx, dyx, dg, db);
                        be.batchNorm(s, true, xy, l, g, b, rm2, rv2, xy, rm, rv);
                    } else {
                        be.layerNorm(s, x, g, b, y, m, is);
                        be.layerNormBackward(s, x, g, m, is, dy, dx, dg, db);
                        be.layerNormBackward(s, x, g, m, is, dyx, dyx, dg, db);
                        be.layerNorm(s, xy, g, b, xy, rm, rv);
                    }
                    assertArrayEquals(Host.get(be, y), Host.get(be, xy), (batch ? "batchNorm" : "layerNorm") + " y = x");
                    assertArrayEquals(Host.get(be, dx), Host.get(be, dyx), (batch ? "batchNorm" : "layerNorm") + " dx = dy");
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        Precision p = Precision.F64;
        NormShape s = new NormShape(2, 3, 4);
        try (DeviceBuffer x = be.allocate(p, 24); DeviceBuffer y = be.allocate(p, 24); DeviceBuffer g = be.allocate(p, 3);
             DeviceBuffer b = be.allocate(p, 3); DeviceBuffer m = be.allocate(p, 8); DeviceBuffer is = be.allocate(p, 8);
             DeviceBuffer small = be.allocate(p, 7); DeviceBuffer f = be.allocate(Precision.F32, 24);
             IndexBuffer l1 = be.allocateIndices(1)) {
            String[] messages = {
                assertThrows(IllegalArgumentException.class, () -> new NormShape(0, 3, 4)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNorm(null, x, g, b, y, m, is)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNorm(s, x, g, b, y, small, is)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNorm(s, x, g, b, y, m, m)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNorm(s, x, g, b, f, m, is)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNormBackward(s, x, g, m, is, y, x, g, b)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.layerNormBackward(s, x, g, m, is, y, y, b, b)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.batchNorm(s, true, x, l1, g, b, g, b, y, m, is)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> be.maskPadding(s, null, x)).getMessage(),
            };
            assertTrue(messages[0].contains("batch") && messages[0].contains("0"), messages[0]);
            assertTrue(messages[2].contains("mean") && messages[2].contains("8") && messages[2].contains("7"), messages[2]);
            assertTrue(messages[3].contains("invStd") && messages[3].contains("mean"), messages[3]);
            assertTrue(messages[4].contains("F32") && messages[4].contains("F64"), messages[4]);
            assertTrue(messages[5].contains("dx") && messages[5].contains("x"), messages[5]);
            assertTrue(messages[6].contains("dBeta") && messages[6].contains("dGamma"), messages[6]);
            assertTrue(messages[7].contains("lengths") && messages[7].contains("2"), messages[7]);
            assertTrue(messages[8].contains("lengths"), messages[8]);
            for (String msg : messages) {
                assertFalse(msg.contains("\n"), msg);
            }
        }
    }
}
