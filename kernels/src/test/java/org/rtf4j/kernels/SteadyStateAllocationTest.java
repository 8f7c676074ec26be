package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * After the first call at a shape, a batched kernel call allocates O(1) bytes (its loop closures, under 128), never
 * per row or per length: measured on the calling thread of a one-thread backend, where all rows run.
 */
class SteadyStateAllocationTest {
    private static final long BUDGET_PER_CALL = 128;

    @Test
    void kernelsAllocateNothingPerRow() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure thread allocation");
        }
        mx.setThreadAllocatedMemoryEnabled(true);
        for (Precision p : Precision.values()) {
            try (JvmBackend be = JvmBackend.withThreads(1)) {
                ConvShape cs = ConvShape.of(4, 16, 1000, true);
                RationalShape rs = new RationalShape(4, 16, 8, 1000);
                DeviceBuffer kf = be.allocate(p, cs.kernelLength());
                DeviceBuffer kb = be.allocate(p, cs.kernelLength());
                DeviceBuffer u = be.allocate(p, cs.signalLength());
                DeviceBuffer y = be.allocate(p, cs.signalLength());
                DeviceBuffer ks = be.allocate(p, cs.kernelSpectrumLength());
                DeviceBuffer du = be.allocate(p, cs.signalLength());
                DeviceBuffer a = be.allocate(p, 4 * 8);
                DeviceBuffer b = be.allocate(p, 16 * 8);
                DeviceBuffer h0 = be.allocate(p, 16);
                DeviceBuffer sa = be.allocate(p, 2 * rs.bins() * 4);
                DeviceBuffer sb = be.allocate(p, 2 * rs.bins() * 16);
                DeviceBuffer sk = be.allocate(p, 2 * rs.bins() * 16);
                DeviceBuffer mm = be.allocate(p, 8);
                DeviceBuffer da = be.allocate(p, 4 * 8);
                DeviceBuffer db = be.allocate(p, 16 * 8);
                DeviceBuffer dh0 = be.allocate(p, 16);
                DeviceBuffer work = be.allocate(p, rs.backwardWorkLength());
                Runnable all = () -> {
                    be.rationalSpectrum(rs, a, b, h0, sa, sb, sk, mm);
                    be.fftRealInverse(rs.fftLength(), 16, sk, kf, 1000, 1000);
                    be.fftConv(cs, kf, kb, u, y, ks);
                    be.fftConvBackward(cs, ks, u, y, du, kf, kb);
                    be.rationalSpectrumBackward(rs, kf, 1000, sa, sb, da, db, dh0, work);
                };
                for (int i = 0; i < 20; i++) {
                    all.run();
                }
                int calls = 50;
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < calls; i++) {
                    all.run();
                }
                long perCall = (mx.getCurrentThreadAllocatedBytes() - before) / (5L * calls);
                System.out.printf("steady-state allocation %s: %d bytes per kernel call%n", p, perCall);
                assertTrue(perCall <= BUDGET_PER_CALL, p + ": " + perCall + " bytes per kernel call > " + BUDGET_PER_CALL);
            }
        }
    }
}
