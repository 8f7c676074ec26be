package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.NormReference;
import org.rtf4j.kernels.testing.NormRuns;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;

/**
 * The device's LayerNorm, BatchNorm, padding mask and dropout against the JVM's in both precisions: norms and
 * their backwards within 1e-12 (float64) and the JVM's float32 bounds of its reference ({@code NormTest}:
 * LayerNorm 2e-6·log2(2C), BatchNorm 2e-6·log2(2n), backwards 4e-6·log2(2n), n = max(C, B·ℓ)) in the
 * {@code Check} measure; the same
 * bits when run twice; the mask and dropout bit for bit the JVM's (and float32's mask float64's); and the
 * work ran on the device.
 */
class OpenClNormTest extends WithBothBackends {
    static final List<NormShape> SHAPES = List.of(new NormShape(1, 1, 1), new NormShape(1, 3, 5), new NormShape(2, 3, 7),
        new NormShape(3, 5, 300), new NormShape(2, 16, 777), new NormShape(4, 64, 130));



    static double log2(NormShape s) {
        return Math.log(2.0 * Math.max(s.channels(), s.batch() * s.length())) / Math.log(2);
    }

    static double values(Precision p, NormShape s) {
        return p == Precision.F64 ? 1e-12 : 2e-6 * log2(s);
    }

    static double gradients(Precision p, NormShape s) {
        double t = p == Precision.F64 ? 1e-12 : 4e-6 * log2(s);
        // -cl-fast-relaxed-math lets the device reassociate the backward's centred sums, whose rounding the
        // 1/σ of a near-constant channel (up to 1/√ε ≈ 316) magnifies; the JVM twin rounds as written
        return OpenClTesting.profile().buildOptions().contains("-cl-fast-relaxed-math") ? 4 * t : t;
    }

    static double[][] inputs(Precision p, NormShape s, long seed) {
        double[] x = NormReference.uniform(seed, s.count(), -1, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.3 * ((i / s.length()) % s.channels()) - 0.2;
        }
        double[][] in = {x, NormReference.uniform(seed + 1, s.channels(), 0.5, 1.5),
            NormReference.uniform(seed + 2, s.channels(), -0.5, 0.5), NormReference.uniform(seed + 3, s.count(), -1, 1),
            NormReference.uniform(seed + 4, s.channels(), -1, 1), NormReference.uniform(seed + 5, s.channels(), 0.5, 2)};
        for (int i = 0; i < in.length; i++) {
            in[i] = Host.round(p, in[i]);
        }
        return in;
    }

    private static double twins(String what, double[][] dev, double[][] ref, double tol) {
        double w = 0;
        for (int i = 0; i < ref.length; i++) {
            w = Math.max(w, Check.close(what + " output " + i, dev[i], ref[i], tol));
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void layerNormTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double wf = 0;
        double wb = 0;
        long seed = 100;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(p, s, seed++);
            double[][] dev = NormRuns.layerNorm(cl, p, s, in[0], in[1], in[2]);
            double lnTol = p == Precision.F64 ? 1e-12 : 2e-6 * Math.log(2.0 * s.channels()) / Math.log(2);
            wf = Math.max(wf, twins(p + " " + s + " layerNorm", dev, NormRuns.layerNorm(jvm, p, s, in[0], in[1], in[2]),
                lnTol));
            double[][] devB = NormRuns.layerNormBackward(cl, p, s, in[0], in[1], in[3], in[4], in[2]);
            wb = Math.max(wb, twins(p + " " + s + " layerNormBackward", devB,
                NormRuns.layerNormBackward(jvm, p, s, in[0], in[1], in[3], in[4], in[2]), gradients(p, s)));
            assertArrayEquals(devB[1], NormRuns.layerNormBackward(cl, p, s, in[0], in[1], in[3], in[4], in[2])[1],
                s + " dGamma run twice");
        }
        System.out.printf("device layerNorm %s: worst error %.3e forward, %.3e backward%n", p, wf, wb);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void batchNormTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double wf = 0;
        double wb = 0;
        long seed = 200;
        for (NormShape s : SHAPES) {
            double[][] in = inputs(p, s, seed++);
            int[] padded = NormReference.lengths(seed++, s.batch(), s.length());
            for (int[] lengths : new int[][] {padded, null}) {
                for (boolean training : new boolean[] {true, false}) {
                    String what = p + " " + s + (lengths == null ? " all valid" : " padded") + (training ? " training" : " eval");
                    double[][] dev = NormRuns.batchNorm(cl, p, s, training, in[0], lengths, in[1], in[2], in[4], in[5]);
                    wf = Math.max(wf, twins(what + " batchNorm", dev,
                        NormRuns.batchNorm(jvm, p, s, training, in[0], lengths, in[1], in[2], in[4], in[5]), values(p, s)));
                    double[][] devB = NormRuns.batchNormBackward(cl, p, s, training, in[0], lengths, in[1], in[4], in[5],
                        in[3], in[2], in[4]);
                    wb = Math.max(wb, twins(what + " batchNormBackward", devB, NormRuns.batchNormBackward(jvm, p, s, training,
                        in[0], lengths, in[1], in[4], in[5], in[3], in[2], in[4]), gradients(p, s)));
                }
            }
        }
        System.out.printf("device batchNorm %s: worst error %.3e forward, %.3e backward%n", p, wf, wb);
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    static void sameBits(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Double.doubleToRawLongBits(want[i]) != Double.doubleToRawLongBits(got[i])) {
                throw new AssertionError(what + " element " + i + ": device " + got[i] + ", JVM " + want[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void maskPaddingAndDropoutAreTheJvmsBitForBit(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        long seed = 300;
        for (int[] sh : new int[][] {{1, 1, 1}, {1, 1, 7}, {2, 3, 5}, {3, 5, 1001}, {2, 64, 785}}) {
            NormShape s = new NormShape(sh[0], sh[1], sh[2]);
            double[] x = Host.round(p, NormReference.uniform(seed++, s.count(), -2, 2));
            x[0] = Double.NaN;
            int[] lengths = NormReference.lengths(seed++, s.batch(), s.length());
            sameBits(p + " " + s + " maskPadding", NormRuns.maskPadding(jvm, p, s, lengths, x),
                NormRuns.maskPadding(cl, p, s, lengths, x));
            for (boolean tied : new boolean[] {false, true}) {
                for (double drop : new double[] {0.0, 0.1, 0.5}) {
                    DropoutShape d = new DropoutShape(sh[0], sh[1], sh[2], drop, tied, -seed * 0x9E3779B97F4A7C15L, seed << 31, 5);
                    for (boolean backward : new boolean[] {false, true}) {
                        sameBits(p + " " + d + (backward ? " backward" : ""), NormRuns.dropout(jvm, p, d, x, backward),
                            NormRuns.dropout(cl, p, d, x, backward));
                    }
                }
            }
        }
        OpenClTesting.assertRanOnDevice(cl, before);
    }

    @Test
    void theDevicesFloat32MaskIsItsFloat64Mask() {
        OpenClTesting.assumeFloat64(cl, Precision.F64);
        DropoutShape d = new DropoutShape(4, 32, 777, 0.3, false, 77, 12345, 9);
        double[] ones = new double[d.count()];
        java.util.Arrays.fill(ones, 1);
        double[] m32 = NormRuns.dropout(cl, Precision.F32, d, ones, false);
        double[] m64 = NormRuns.dropout(cl, Precision.F64, d, ones, false);
        for (int i = 0; i < ones.length; i++) {
            assertEquals(m64[i] != 0, m32[i] != 0, "element " + i);
            assertEquals(d.keeps(i), m32[i] != 0, "element " + i);
        }
    }
}
