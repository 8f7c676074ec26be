package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;

/** The JVM backend's kernel-level profile: every call counted under its kernel name, nothing while off. */
class JvmProfilingTest {

    @Test
    void countsEveryCallOnlyWhileOnAndStaysWithinWallTime() {
        try (JvmBackend be = JvmBackend.withThreads(2)) {
            ConvShape s = ConvShape.of(2, 3, 127, false, be);
            DeviceBuffer k = be.allocate(Precision.F32, s.kernelLength());
            DeviceBuffer u = be.allocate(Precision.F32, s.signalLength());
            DeviceBuffer y = be.allocate(Precision.F32, s.signalLength());
            DeviceBuffer du = be.allocate(Precision.F32, s.signalLength());
            DeviceBuffer dk = be.allocate(Precision.F32, s.kernelLength());
            DeviceBuffer spec = be.allocate(Precision.F32, s.kernelSpectrumLength());
            DeviceBuffer us = be.allocate(Precision.F32, s.signalSpectrumLength());
            DeviceBuffer fft = be.allocate(Precision.F32, 2 * 17 * 4);

            be.fftConv(s, k, null, u, y, spec, us);
            assertTrue(be.profiler().summary().isEmpty(), "nothing is recorded while profiling is off");

            be.setProfiling(true);
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                be.fftConv(s, k, null, u, y, spec, us);
                be.fftConvBackward(s, spec, us, y, du, dk, null);
            }
            be.fftComplex(17, 4, fft, false);
            long wall = System.nanoTime() - t0;
            be.setProfiling(false);
            be.fftComplex(17, 4, fft, true);

            List<Profiler.Entry> entries = be.profiler().summary();
            Map<String, Long> counts = entries.stream().collect(Collectors.toMap(Profiler.Entry::name, Profiler.Entry::count));
            assertEquals(Map.of(KernelId.FFT_CONV.kernelName(), 3L, KernelId.FFT_CONV_BACKWARD.kernelName(), 3L,
                KernelId.FFT_COMPLEX.kernelName(), 1L), counts);
            long timed = entries.stream().mapToLong(Profiler.Entry::totalNanos).sum();
            assertTrue(timed > 0 && timed <= wall, "kernel time " + timed + " ns must be in (0, wall " + wall + " ns]");
            assertTrue(entries.stream().allMatch(e -> e.kind().equals("KERNEL")), entries.toString());
            assertTrue(be.profiler().table().contains("fftConvBackward"), be.profiler().table());
        }
    }
}
