package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * Which lengths run Bluestein differs per backend, and {@code Backend.fftAlgorithm} says so truly: on
 * OpenCL it matches the kernels a transform launches; on the JVM it is the plans' choice; and
 * {@link ConvShape#of}'s lengths avoid Bluestein on the JVM, not on OpenCL.
 */
class FftPathsTest {

    @Test
    void theDeviceRunsTheAlgorithmItReports() {
        try (OpenClBackend cl = OpenClTesting.backend()) {
            cl.profiler().setTracing(true);
            for (int n : new int[] {1, 2, 3, 12, 16, 17, 48, 64, 100, 128, 1000, 1024}) {
                cl.profiler().reset();
                try (DeviceBuffer d = cl.allocate(Precision.F32, 2 * n)) {
                    cl.fftComplex(n, 1, d, false);
                }
                boolean bluestein = cl.profiler().events().stream().map(ProfileRecord::name).anyMatch("bluesteinPre"::equals);
                assertEquals(bluestein ? ComplexFftPlan.Algorithm.BLUESTEIN : ComplexFftPlan.Algorithm.STOCKHAM_POW2,
                    cl.fftAlgorithm(n), "n=" + n);
            }
            assertThrows(IllegalArgumentException.class, () -> cl.fftAlgorithm(0));
        }
    }

    @Test
    void theJvmReportsItsPlansChoice() {
        try (JvmBackend jvm = JvmBackend.withThreads(1)) {
            for (int n = 1; n <= 2100; n++) {
                assertEquals(ComplexFftPlan.of(n).algorithm(), jvm.fftAlgorithm(n), "n=" + n);
            }
            assertThrows(IllegalArgumentException.class, () -> jvm.fftAlgorithm(0));
        }
    }

    @Test
    void convolutionLengthsAvoidBluesteinOnTheJvmOnly() {
        try (JvmBackend jvm = JvmBackend.withThreads(1)) {
            int deviceBluestein = 0;
            for (int ell = 1; ell <= 4096; ell++) {
                int n = ConvShape.of(1, 1, ell, false).fftLength();
                assertNotEquals(ComplexFftPlan.Algorithm.BLUESTEIN, jvm.fftAlgorithm(n / 2), "ell=" + ell);
                deviceBluestein += ClFft.algorithm(n / 2) == ComplexFftPlan.Algorithm.BLUESTEIN ? 1 : 0;
            }
            // on OpenCL only the lengths that happen to be powers of two escape: most of them do not
            assertEquals(3989, deviceBluestein, "ConvShape lengths that run Bluestein on OpenCL, ell = 1..4096");
            assertEquals(ComplexFftPlan.Algorithm.BLUESTEIN, ClFft.algorithm(ConvShape.of(1, 1, 1000, false).fftLength() / 2));
        }
    }
}
