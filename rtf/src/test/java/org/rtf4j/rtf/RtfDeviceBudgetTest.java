package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The device budget of an RTF layer call (issue 18, acceptance 4): one forward and one backward each block
 * the host once, on the read of their result (y, du); the denominator check and the parameter gradients
 * come from reads that the final read has already completed. The kernel launches of a call are counted too.
 */
class RtfDeviceBudgetTest {
    private static final int BATCH = 2;
    private static final int H = 8;
    private static final int N = 16;
    private static final int ELL = 256;

    /*
     * Launches of one causal float32 call at H = 8, N = 16, B = 2, ℓ = L = 256 (numA = H): the rational
     * spectrum at P = 256 and the convolution at the OpenCL convolution length n = 512 (the power of two
     * ≥ 2ℓ). A real transform of even length m here is pack + complex(m/2) + split (3 launches: a complex
     * transform of m/2 ≤ 256 is one local-memory launch), an inverse one merge + complex + unpack (3; the
     * scaling is folded into the unpack).
     *   forward  = spectrum: padRational + rfft(P) + refineDenominators + rationalDivide
     *                        + minMagnitude                                                    = 1 + 3 + 1 + 1 + 1 = 7
     *            + kernel:   irfft(P)                                                          = 3
     *            + conv:     rfft(n) of k + rfft(n) of u + spectralMul + irfft(n) of y          = 3 + 3 + 1 + 3 = 10
     *                                                                                          = 20
     *   backward = conv:     rfft(n) of gy + convBackwardSpectra + irfft(n) du + irfft(n) dk
     *                        + kernelGrads                                                      = 3 + 1 + 3 + 3 + 1 = 11
     *            + spectrum: rfft(P) of gk + rationalBackwardSpectra + irfft(P) + dropLag0
     *                        + groupSum + irfft(P) + dropLag0 + takeLag0                        = 3 + 1 + 3 + 1 + 1 + 3 + 1 + 1 = 14
     *                                                                                          = 25
     * Change these two lines when the FFTs' launch counts change.
     */
    static final long FORWARD_LAUNCHES = 20;
    static final long BACKWARD_LAUNCHES = 25;

    private static OpenClBackend cl;

    @BeforeAll
    static void up() {
        cl = OpenClTesting.backend();
    }

    @AfterAll
    static void down() {
        if (cl != null) {
            cl.close();
        }
    }

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    /** The host waits (one name per wait) and the launches recorded since the last reset. */
    private static String counts(Profiler prof) {
        List<String> waits = new java.util.ArrayList<>();
        for (Profiler.Entry e : prof.waitSummary()) {
            for (long i = 0; i < e.count(); i++) {
                waits.add(e.name());
            }
        }
        assertEquals(waits.size(), prof.hostWaits());
        return "waits " + waits + " launches " + prof.kernelLaunches();
    }

    @Test
    void aForwardAndABackwardWaitOnceEachWithTheirCountedLaunches() {
        RtfConfig cfg = RtfConfig.builder(H, N, ELL).init(RtfConfig.Init.MONTEL).precision(Precision.F32).seed(3).build();
        try (RtfLayer layer = new RtfLayer(cfg, cl)) {
            float[] u = random(BATCH * H * ELL, 1);
            float[] gy = random(u.length, 2);
            float[] y = new float[u.length];
            float[] du = new float[u.length];
            // warm-up: builds the programs, uploads the FFT tables and allocates the shape's buffers
            layer.forward(u, BATCH, ELL, y);
            layer.backward(gy, du);
            cl.profiler().reset();

            layer.forward(u, BATCH, ELL, y);
            Profiler prof = cl.profiler();
            String forward = counts(prof);
            String forwardTable = prof.table();
            OpenClTesting.assertRanOnDevice(cl, 0);

            cl.profiler().reset();
            layer.backward(gy, du);
            prof = cl.profiler();
            assertEquals("waits [read] launches " + FORWARD_LAUNCHES + "; waits [read] launches " + BACKWARD_LAUNCHES,
                forward + "; " + counts(prof), "forward:\n" + forwardTable + "backward:\n" + prof.table());
        }
    }

    @Test
    void aDenominatorOnTheUnitCircleIsFoundAfterTheOutputWasRead() {
        // a(z) = 1 - z^-1 (row 1, channels 2..3) vanishes at z = 1, bin 0 (as RtfBadInputTest on the JVM)
        RtfConfig cfg = RtfConfig.builder(4, 1, 16).numA(2).precision(Precision.F32).build();
        try (RtfLayer layer = new RtfLayer(cfg, cl)) {
            layer.ab().set(new double[] {0.5, -1.0, 1, 1, 1, 1});
            cl.profiler().reset();
            org.rtf4j.layer.NumericalFailureException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.rtf4j.layer.NumericalFailureException.class, () -> layer.forward(new double[64], 1, 16, new double[64]));
            assertEquals(1, cl.profiler().hostWaits(), cl.profiler().table());
            assertEquals(1, e.row());
            assertEquals(0, e.bin());
            org.junit.jupiter.api.Assertions.assertTrue(
                e.getMessage().startsWith("denominator forward row 1 (channels 2..3)"), e.getMessage());
            // the layer goes on once the parameters are fixed
            layer.ab().set(new double[] {0.5, -0.5, 1, 1, 1, 1});
            double[] y = layer.forward(new double[64], 1, 16);
            assertEquals(0.0, y[5], 0.0);
        }
    }

    @ParameterizedTest(name = "bidirectional={0} montel={1} {2}")
    @CsvSource({"true, false, F32", "false, true, F32", "true, true, F64"})
    void everyVariantWaitsOncePerCall(boolean bi, boolean montel, Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        RtfConfig cfg = RtfConfig.builder(H, N, ELL).numA(2).bidirectional(bi).init(RtfConfig.Init.MONTEL)
            .constraint(montel ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE).precision(p).seed(4).build();
        try (RtfLayer layer = new RtfLayer(cfg, cl)) {
            double[] u = new double[BATCH * H * ELL];
            java.util.Arrays.fill(u, 0.25);
            double[] y = new double[u.length];
            double[] du = new double[u.length];
            layer.forward(u, BATCH, ELL, y);
            layer.backward(y, du);
            cl.profiler().reset();
            layer.forward(u, BATCH, ELL, y);
            assertEquals(1, cl.profiler().hostWaits(), "host waits of a forward\n" + cl.profiler().table());
            cl.profiler().reset();
            layer.backward(y, du);
            assertEquals(1, cl.profiler().hostWaits(), "host waits of a backward\n" + cl.profiler().table());
            cl.profiler().reset();
            layer.kernelAndGradient(ELL);
            assertEquals(1, cl.profiler().hostWaits(), "host waits of kernelAndGradient\n" + cl.profiler().table());
        }
    }
}
