package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The {@code Backend} contract's "concurrent calls are serialised", on OpenCL and on the JVM: threads
 * sharing one backend (and so its kernel objects, scratch buffers and pending events) each allocate,
 * write, run kernels, read and close their own buffers at once, and every result equals, bit for bit,
 * the same call made alone.
 */
class ConcurrentCallsTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 12;

    /** One thread's work: an FFT convolution forward and backward, and a Vandermonde kernel, on its own data. */
    private static double[] work(Backend cl, double[] data) {
        ConvShape s = ConvShape.of(2, 3, 50, true, cl);
        ModalShape m = new ModalShape(3, 4, 70);
        DeviceBuffer kf = cl.allocate(Precision.F32, s.kernelLength());
        DeviceBuffer kb = cl.allocate(Precision.F32, s.kernelLength());
        DeviceBuffer u = cl.allocate(Precision.F32, s.signalLength());
        DeviceBuffer y = cl.allocate(Precision.F32, s.signalLength());
        DeviceBuffer ks = cl.allocate(Precision.F32, s.kernelSpectrumLength());
        DeviceBuffer us = cl.allocate(Precision.F32, s.signalSpectrumLength());
        DeviceBuffer du = cl.allocate(Precision.F32, s.signalLength());
        DeviceBuffer dkf = cl.allocate(Precision.F32, s.kernelLength());
        DeviceBuffer dkb = cl.allocate(Precision.F32, s.kernelLength());
        DeviceBuffer logZ = cl.allocate(Precision.F32, m.modalLength());
        DeviceBuffer chat = cl.allocate(Precision.F32, m.modalLength());
        DeviceBuffer k = cl.allocate(Precision.F32, m.kernelLength());
        try {
            cl.write(kf, 0, data, 0, s.kernelLength());
            cl.write(kb, 0, data, s.kernelLength(), s.kernelLength());
            cl.write(u, 0, data, 0, s.signalLength());
            cl.fftConv(s, kf, kb, u, y, ks, us);
            cl.fftConvBackward(s, ks, us, u, du, dkf, dkb);
            double[] z = new double[m.modalLength()];
            for (int i = 0; i < z.length; i += 2) {
                z[i] = -0.01 - 0.1 * Math.abs(data[i]);
                z[i + 1] = 3 * data[i + 1];
            }
            cl.write(logZ, 0, z, 0, z.length);
            cl.write(chat, 0, data, 7, m.modalLength());
            cl.vandermonde(m, logZ, chat, null, k);
            double[] out = new double[2 * s.signalLength() + 2 * s.kernelLength() + m.kernelLength()];
            int o = 0;
            for (DeviceBuffer b : new DeviceBuffer[] {y, du, dkf, dkb, k}) {
                cl.read(b, 0, out, o, b.length());
                o += b.length();
            }
            return out;
        } finally {
            for (DeviceBuffer b : new DeviceBuffer[] {kf, kb, u, y, ks, us, du, dkf, dkb, logZ, chat, k}) {
                b.close();
            }
        }
    }

    @Test
    void openClCallsFromSeveralThreadsEqualTheSameCallsMadeAlone() throws Exception {
        try (OpenClBackend cl = OpenClTesting.backend()) {
            callFromSeveralThreads(cl);
            assertEquals(0, cl.liveBuffers(), "buffers left open");
        }
    }

    @Test
    void jvmCallsFromSeveralThreadsEqualTheSameCallsMadeAlone() throws Exception {
        try (JvmBackend jvm = JvmBackend.withThreads(2)) {
            callFromSeveralThreads(jvm);
        }
    }

    private static void callFromSeveralThreads(Backend cl) throws Exception {
        {
            double[][] data = new double[THREADS][];
            double[][] alone = new double[THREADS][];
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom r = new SplittableRandom(t);
                data[t] = new double[2 * 3 * 50 + 64];
                for (int i = 0; i < data[t].length; i++) {
                    data[t][i] = r.nextDouble(-1, 1);
                }
                alone[t] = work(cl, data[t]);
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int round = 0; round < ROUNDS; round++) {
                            assertArrayEquals(alone[id], work(cl, data[id]), "thread " + id + " round " + round);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
