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
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.GemmReference;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The JVM GEMM against a plain triple loop ({@link GemmReference}): bit-identical in the buffer's
 * precision for every case (awkward sizes, transposes, α/β, leading dimensions, offsets, strided, shared
 * and summed batches) on 1, 2 and 3 threads; float32 within (k·batch + 2)·ε of float64 relative to
 * Σ|a|·|b| per element; elements outside C untouched; β = 0 ignores C; arguments refused in one line.
 */
class GemmTest extends WithJvmBackend {

    /** Runs the case on {@code backend} and returns C's whole buffer. */
    static double[] run(Backend backend, Precision p, GemmShape s, double[] a, double[] b, double[] c) {
        DeviceBuffer ba = Host.put(backend, p, a);
        DeviceBuffer bb = Host.put(backend, p, b);
        DeviceBuffer bc = Host.put(backend, p, c);
        backend.gemm(s, ba, bb, bc);
        double[] out = Host.get(backend, bc);
        ba.close();
        bb.close();
        bc.close();
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyCaseIsBitIdenticalToThePlainLoopOnAnyThreadCount(Precision p) {
        List<GemmReference.Case> cases = GemmReference.cases();
        try (JvmBackend one = JvmBackend.withThreads(1); JvmBackend three = JvmBackend.withThreads(3)) {
            long seed = 1;
            for (GemmReference.Case cs : cases) {
                GemmShape s = cs.shape();
                double[] a = Host.round(p, GemmReference.random(seed++, s.aLength()));
                double[] b = Host.round(p, GemmReference.random(seed++, s.bLength()));
                double[] c = Host.round(p, GemmReference.random(seed++, s.cLength()));
                double[] ref = GemmReference.naive(p, s, a, b, c);
                for (Backend x : new Backend[] {one, be, three}) {
                    assertArrayEquals(ref, run(x, p, s, a, b, c), p + " " + cs + " on " + x.hostWorkers() + " thread(s)");
                }
            }
        }
    }

    @Test
    void float32IsWithinItsRoundingBoundOfFloat64() {
        long seed = 1000;
        for (GemmReference.Case cs : GemmReference.cases()) {
            GemmShape s = cs.shape();
            double[] a = Host.round(Precision.F32, GemmReference.random(seed++, s.aLength()));
            double[] b = Host.round(Precision.F32, GemmReference.random(seed++, s.bLength()));
            double[] c = Host.round(Precision.F32, GemmReference.random(seed++, s.cLength()));
            double[] ref = GemmReference.naive(Precision.F64, s, a, b, c);
            double[] got = run(be, Precision.F32, s, a, b, c);
            double[] mag = GemmReference.magnitude(s, a, b, c);
            double gamma = (s.k() * (double) s.batch() + 2) * Check.EPS32;
            for (int i = 0; i < ref.length; i++) {
                if (GemmReference.written(s, i)) {
                    assertTrue(Math.abs(got[i] - ref[i]) <= gamma * mag[i], cs + " element " + i + ": " + got[i] + " vs "
                        + ref[i] + ", bound " + gamma * mag[i]);
                } else {
                    assertEquals(c[i], got[i], cs + ": element " + i + " outside C changed");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void betaZeroDoesNotReadC(Precision p) {
        GemmShape s = GemmShape.of(false, true, 5, 7, 3);
        double[] a = GemmReference.random(1, s.aLength());
        double[] b = GemmReference.random(2, s.bLength());
        double[] c = new double[(int) s.cLength()];
        java.util.Arrays.fill(c, Double.NaN);
        double[] got = run(be, p, s, a, b, c);
        for (double v : got) {
            assertFalse(Double.isNaN(v), "β = 0 read the old C");
        }
    }

    @Test
    void badArgumentsAreRefusedInOneLine() {
        DeviceBuffer small = be.allocate(Precision.F64, 5);
        DeviceBuffer big = be.allocate(Precision.F64, 100);
        DeviceBuffer big2 = be.allocate(Precision.F64, 100);
        DeviceBuffer f32 = be.allocate(Precision.F32, 100);
        GemmShape s = GemmShape.of(false, false, 4, 4, 4);
        assertMessage("a has 5 elements, expected at least 16", () -> be.gemm(s, small, big, big2));
        assertMessage("c must be a buffer other than a", () -> be.gemm(s, big, big2, big));
        assertMessage("a is F64, expected F32", () -> be.gemm(s, big, big2, f32));
        assertMessage("shape must not be null", () -> be.gemm(null, big, big2, f32));
        assertMessage("GEMM m must be ≥ 1, got 0", () -> GemmShape.of(false, false, 0, 4, 4));
        assertMessage("GEMM lda must be ≥ 4, got 3", () -> s.leading(3, 4, 4));
        assertMessage("GEMM ldb must be ≥ 5, got 4", () -> GemmShape.of(false, true, 4, 4, 5).leading(5, 4, 4));
        assertMessage("GEMM strideC must be 0 or ≥ the span of one C, (m−1)·ldc + n = 16, got 15",
            () -> s.batched(2, 16, 16, 15));
        assertMessage("GEMM strideA must be ≥ 0, got -1", () -> s.batched(2, -1, 16, 16));
        small.close();
        big.close();
        big2.close();
        f32.close();
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), "message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void theModelsProductsMatchTheirDefinitions() {
        // a linear layer H → 2H on (B, H, ℓ) signals: forward, weight gradient, input gradient
        int batch = 2;
        int in = 8;
        int out = 16;
        int ell = 37;
        double[] w = GemmReference.random(1, (long) out * in);
        double[] x = GemmReference.random(2, (long) batch * in * ell);
        double[] dy = GemmReference.random(3, (long) batch * out * ell);
        double[] y = run(be, Precision.F64, GemmShape.of(false, false, out, ell, in).batched(batch, 0, in * ell, out * ell),
            w, x, new double[batch * out * ell]);
        double[] gw = run(be, Precision.F64,
            GemmShape.of(false, true, out, in, ell).batched(batch, out * ell, in * ell, 0).scaled(1, 1), dy, x,
            new double[out * in]);
        double[] dx = run(be, Precision.F64, GemmShape.of(true, false, in, ell, out).batched(batch, 0, out * ell, in * ell),
            w, dy, new double[batch * in * ell]);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < ell; t++) {
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    for (int i = 0; i < in; i++) {
                        s += w[o * in + i] * x[(b * in + i) * ell + t];
                    }
                    assertEquals(s, y[(b * out + o) * ell + t], 1e-13);
                }
                for (int i = 0; i < in; i++) {
                    double s = 0;
                    for (int o = 0; o < out; o++) {
                        s += w[o * in + i] * dy[(b * out + o) * ell + t];
                    }
                    assertEquals(s, dx[(b * in + i) * ell + t], 1e-13);
                }
            }
        }
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double s = 0;
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < ell; t++) {
                        s += dy[(b * out + o) * ell + t] * x[(b * in + i) * ell + t];
                    }
                }
                assertEquals(s, gw[o * in + i], 1e-12);
            }
        }
    }
}
