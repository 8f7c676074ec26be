package org.rtf4j.kernels.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.testing.GemmReference;
import org.rtf4j.kernels.testing.Host;

/** {@link HostGemm}: the backend's kernel on host arrays (the plain loop's bits, any thread count), checked arguments. */
class HostGemmTest {
    @Test
    void hostArraysGetThePlainLoopsBitsInBothPrecisions() {
        try (JvmExecutor two = new JvmExecutor(2); JvmExecutor three = new JvmExecutor(3)) {
            long seed = 50;
            int n = 0;
            for (GemmReference.Case cs : GemmReference.cases()) {
                if (n++ % 5 != 0) {
                    continue;
                }
                GemmShape s = cs.shape();
                double[] a = GemmReference.random(seed++, s.aLength());
                double[] b = GemmReference.random(seed++, s.bLength());
                double[] c = GemmReference.random(seed++, s.cLength());
                double[] ref = GemmReference.naive(Precision.F64, s, a, b, c);
                for (JvmExecutor ex : new JvmExecutor[] {two, three}) {
                    double[] got = c.clone();
                    HostGemm.gemm(ex, s, a, b, got);
                    assertArrayEquals(ref, got, cs + " float64 on " + ex.threads());
                }
                float[] af = toFloat(a);
                float[] bf = toFloat(b);
                float[] cf = toFloat(c);
                double[] ref32 = GemmReference.naive(Precision.F32, s, Host.round(Precision.F32, a),
                    Host.round(Precision.F32, b), Host.round(Precision.F32, c));
                HostGemm.gemm(three, s, af, bf, cf);
                for (int i = 0; i < cf.length; i++) {
                    assertEquals((float) ref32[i], cf[i], cs + " float32 element " + i);
                }
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        GemmShape s = GemmShape.of(false, false, 2, 3, 4);
        double[] a = new double[8];
        double[] b = new double[12];
        double[] c = new double[6];
        try (JvmExecutor ex = new JvmExecutor(1)) {
            assertEquals("a has 7 elements, expected at least 8",
                assertThrows(IllegalArgumentException.class, () -> HostGemm.gemm(ex, s, new double[7], b, c)).getMessage());
            assertEquals("c must be an array other than a and b (the product does not work in place)",
                assertThrows(IllegalArgumentException.class, () -> HostGemm.gemm(ex, s, a, b, a)).getMessage());
            assertEquals("host executor must not be null",
                assertThrows(IllegalArgumentException.class, () -> HostGemm.gemm(null, s, a, b, c)).getMessage());
            assertEquals("b must not be null",
                assertThrows(IllegalArgumentException.class, () -> HostGemm.gemm(ex, s, a, null, c)).getMessage());
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
