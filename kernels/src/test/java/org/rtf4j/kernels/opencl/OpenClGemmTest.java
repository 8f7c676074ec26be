package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.kernels.testing.WithBothBackends;

/**
 * The device GEMM against the JVM's on every case of {@link GemmReference} (sizes 1 to 300, transposes,
 * α/β, leading dimensions and offsets, strided, shared and summed batches) in both precisions: each
 * element of C within 2·(k·batch + 2)·ε of the JVM's, relative to |α|·Σ|a|·|b| + |β|·|c| (both are
 * within half of that of the exact product; the device may fuse the multiply-adds), elements outside C
 * untouched, and the work ran on the device.
 */
class OpenClGemmTest extends WithBothBackends {



    private static double[] run(Backend be, Precision p, GemmShape s, double[] a, double[] b, double[] c) {
        DeviceBuffer ba = Host.put(be, p, a);
        DeviceBuffer bb = Host.put(be, p, b);
        DeviceBuffer bc = Host.put(be, p, c);
        be.gemm(s, ba, bb, bc);
        double[] out = Host.get(be, bc);
        ba.close();
        bb.close();
        bc.close();
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gemmTwins(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        double eps = p == Precision.F64 ? 0x1p-53 : Check.EPS32;
        long seed = 7;
        int cases = 0;
        for (GemmReference.Case cs : GemmReference.cases()) {
            GemmShape s = cs.shape();
            double[] a = Host.round(p, GemmReference.random(seed++, s.aLength()));
            double[] b = Host.round(p, GemmReference.random(seed++, s.bLength()));
            double[] c = Host.round(p, GemmReference.random(seed++, s.cLength()));
            double[] onJvm = run(jvm, p, s, a, b, c);
            double[] onDevice = run(cl, p, s, a, b, c);
            double[] mag = GemmReference.magnitude(s, a, b, c);
            double gamma = 2 * (s.k() * (double) s.batch() + 2) * eps;
            for (int i = 0; i < c.length; i++) {
                if (GemmReference.written(s, i)) {
                    assertTrue(Math.abs(onDevice[i] - onJvm[i]) <= gamma * mag[i], p + " " + cs + " element " + i + ": device "
                        + onDevice[i] + ", JVM " + onJvm[i] + ", bound " + gamma * mag[i]);
                } else {
                    assertEquals(c[i], onDevice[i], p + " " + cs + ": element " + i + " outside C changed");
                }
            }
            cases++;
        }
        assertTrue(cases > 100, "only " + cases + " cases");
        OpenClTesting.assertRanOnDevice(cl, before);
    }
}
