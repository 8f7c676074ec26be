package org.rtf4j.kernels.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.testing.ActivationReference;
import org.rtf4j.kernels.testing.Host;

/**
 * {@link HostActivations}: the backend's activation kernels on host arrays, the backend's bits in both
 * precisions on executors of 2 and 3 threads (so GLU in float64 is the host formulas' bits); arguments checked.
 */
class HostActivationsTest {
    @Test
    void hostArraysGetTheBackendsBitsInBothPrecisions() {
        try (JvmBackend be = JvmBackend.withThreads(2); JvmExecutor two = new JvmExecutor(2);
             JvmExecutor three = new JvmExecutor(3)) {
            long seed = 500;
            for (int n : ActivationReference.COUNTS) {
                ActivationShape s = ActivationShape.elements(n);
                double[] x = ActivationReference.inputs(seed++, n);
                double[] dy = ActivationReference.gradients(seed++, n);
                for (Precision p : Precision.values()) {
                    double[] y = run(be, p, x, null, n, (b, bx, bg, out) -> b.gelu(s, bx, out));
                    double[] dx = run(be, p, x, dy, n, (b, bx, bg, out) -> b.geluBackward(s, bx, bg, out));
                    for (JvmExecutor ex : new JvmExecutor[] {two, three}) {
                        if (p == Precision.F64) {
                            double[] got = new double[n];
                            HostActivations.gelu(ex, s, x, got);
                            assertArrayEquals(y, got, "gelu n=" + n + " on " + ex.threads());
                            HostActivations.geluBackward(ex, s, x, dy, got);
                            assertArrayEquals(dx, got, "geluBackward n=" + n + " on " + ex.threads());
                        } else {
                            float[] got = new float[n];
                            HostActivations.gelu(ex, s, toFloat(x), got);
                            assertArrayEquals(y, widen(got), "float32 gelu n=" + n + " on " + ex.threads());
                            HostActivations.geluBackward(ex, s, toFloat(x), toFloat(dy), got);
                            assertArrayEquals(dx, widen(got), "float32 geluBackward n=" + n + " on " + ex.threads());
                        }
                    }
                }
            }
            for (ActivationShape s : ActivationReference.gluShapes()) {
                double[] x = ActivationReference.inputs(seed++, s.count());
                double[] dy = ActivationReference.gradients(seed++, s.gluOutputCount());
                for (Precision p : Precision.values()) {
                    double[] y = run(be, p, x, null, s.gluOutputCount(), (b, bx, bg, out) -> b.glu(s, bx, out));
                    double[] dx = run(be, p, x, dy, s.count(), (b, bx, bg, out) -> b.gluBackward(s, bx, bg, out));
                    for (JvmExecutor ex : new JvmExecutor[] {two, three}) {
                        if (p == Precision.F64) {
                            double[] gy = new double[s.gluOutputCount()];
                            HostActivations.glu(ex, s, x, gy);
                            assertArrayEquals(y, gy, "glu " + s + " on " + ex.threads());
                            double[] gdx = new double[s.count()];
                            HostActivations.gluBackward(ex, s, x, dy, gdx);
                            assertArrayEquals(dx, gdx, "gluBackward " + s + " on " + ex.threads());
                        } else {
                            float[] gy = new float[s.gluOutputCount()];
                            HostActivations.glu(ex, s, toFloat(x), gy);
                            assertArrayEquals(y, widen(gy), "float32 glu " + s + " on " + ex.threads());
                            float[] gdx = new float[s.count()];
                            HostActivations.gluBackward(ex, s, toFloat(x), toFloat(dy), gdx);
                            assertArrayEquals(dx, widen(gdx), "float32 gluBackward " + s + " on " + ex.threads());
                        }
                    }
                }
            }
        }
    }

    @Test
    void argumentsAreChecked() {
        ActivationShape s = new ActivationShape(2, 4, 3);
        double[] x = new double[24];
        double[] y = new double[12];
        try (JvmExecutor ex = new JvmExecutor(1)) {
            assertEquals("y has 12 elements, expected at least 24",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.gelu(ex, s, x, y)).getMessage());
            assertEquals("host executor must not be null",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.gelu(null, s, x, x)).getMessage());
            assertEquals("shape must not be null",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.glu(ex, null, x, y)).getMessage());
            assertEquals("dy must not be null",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.gluBackward(ex, s, x, null, new double[24]))
                    .getMessage());
            assertEquals("y must be an array other than x (GLU does not work in place)",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.glu(ex, s, x, x)).getMessage());
            assertEquals("dx must be an array other than x (the GLU backward does not work in place)",
                assertThrows(IllegalArgumentException.class, () -> HostActivations.gluBackward(ex, s, x, y, x)).getMessage());
            assertEquals("GLU channels must be even, got 3",
                assertThrows(IllegalArgumentException.class,
                    () -> HostActivations.glu(ex, new ActivationShape(2, 3, 4), x, y)).getMessage());
            assertEquals("x has 23 elements, expected at least 24",
                assertThrows(IllegalArgumentException.class,
                    () -> HostActivations.geluBackward(ex, s, new float[23], new float[24], new float[24])).getMessage());
        }
    }

    /** A kernel call on backend buffers. */
    private interface Call {
        void run(Backend be, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer out);
    }

    private static double[] run(Backend be, Precision p, double[] x, double[] dy, int outLength, Call call) {
        try (DeviceBuffer bx = Host.put(be, p, x); DeviceBuffer bg = Host.put(be, p, dy == null ? new double[1] : dy);
             DeviceBuffer out = be.allocate(p, outLength)) {
            call.run(be, bx, bg, out);
            return Host.get(be, out);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
