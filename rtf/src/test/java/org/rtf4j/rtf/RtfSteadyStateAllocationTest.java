package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;

/**
 * A steady-state forward + backward pass of the RTF layer on a one-thread JVM backend (every row on this
 * thread) allocates nothing: the kernels reuse their tasks and scratch, the layer its buffers, and the
 * checks build no message unless they fail. Measured with {@code ThreadMXBean#getThreadAllocatedBytes}
 * after warm-up, best of a few rounds (as in the kernels' {@code SteadyStateAllocationTest}, whose comment
 * explains why).
 */
class RtfSteadyStateAllocationTest {
    private static final int WARM_UP = 100;
    private static final int PASSES = 50;
    private static final int ROUNDS = 5;

    @ParameterizedTest(name = "{0} bidirectional={1} montel={2}")
    @CsvSource({"F32, false, false", "F64, true, true", "F32, true, false", "F64, false, true"})
    void forwardAndBackwardAllocateNothing(Precision p, boolean bi, boolean montel) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        int batch = 2;
        int h = 8;
        int len = 256;
        RtfConfig cfg = RtfConfig.builder(h, 16, len).numA(2).bidirectional(bi)
            .constraint(montel ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE)
            .init(RtfConfig.Init.MONTEL).precision(p).seed(5).build();
        SplittableRandom r = new SplittableRandom(6);
        double[] u = new double[batch * h * len];
        for (int i = 0; i < u.length; i++) {
            u[i] = r.nextDouble(-1, 1);
        }
        double[] y = new double[u.length];
        double[] du = new double[u.length];
        try (JvmBackend be = JvmBackend.withThreads(1); RtfLayer layer = new RtfLayer(cfg, be)) {
            Runnable pass = () -> {
                layer.forward(u, batch, len, y);
                layer.backward(y, du);
            };
            for (int i = 0; i < WARM_UP; i++) {
                pass.run();
            }
            long least = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                long start = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < PASSES; i++) {
                    pass.run();
                }
                least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - start);
            }
            assertEquals(0, least, "bytes allocated by " + PASSES + " forward + backward passes (best of " + ROUNDS
                + " rounds)");
        }
    }
}
