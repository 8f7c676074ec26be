package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * OpenCL it matches the kernels a transform launches; on the JVM it is the plans' choice; and each
 * backend's convolution length ({@code Backend.convolutionFftLength}) avoids Bluestein on that backend.
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
    void eachBackendsConvolutionLengthsAvoidBluesteinThere() {
        try (JvmBackend jvm = JvmBackend.withThreads(1)) {
            int jvmLengthsBluesteinOnDevice = 0;
            for (int ell = 1; ell <= 4096; ell++) {
                long smooth = jvm.convolutionFftLength(ell);
                long pow2 = OpenClBackend.powerOfTwoFftLength(ell);
                assertEquals(ConvShape.of(1, 1, ell, false, jvm).fftLength(), smooth, "ell=" + ell);
                assertTrue(smooth >= 2 * ell && smooth % 2 == 0 && ComplexFftPlan.isSmooth((int) smooth), "ell=" + ell);
                assertTrue(pow2 >= 2 * ell && pow2 < 4 * ell && Long.bitCount(pow2) == 1, "ell=" + ell + ": " + pow2);
                assertNotEquals(ComplexFftPlan.Algorithm.BLUESTEIN, jvm.fftAlgorithm((int) smooth / 2), "ell=" + ell);
                assertNotEquals(ComplexFftPlan.Algorithm.BLUESTEIN, ClFft.algorithm((int) pow2 / 2), "ell=" + ell);
                jvmLengthsBluesteinOnDevice += ClFft.algorithm((int) smooth / 2) == ComplexFftPlan.Algorithm.BLUESTEIN ? 1 : 0;
            }
            // why OpenCL has its own: only the JVM lengths that happen to be powers of two would escape Bluestein
            assertEquals(3989, jvmLengthsBluesteinOnDevice, "JVM convolution lengths that run Bluestein on OpenCL, ell = 1..4096");
            assertEquals(2000, jvm.convolutionFftLength(1000));
            assertEquals(2048, OpenClBackend.powerOfTwoFftLength(1000));
            assertEquals(4096, OpenClBackend.powerOfTwoFftLength(2000));
            assertEquals(2, OpenClBackend.powerOfTwoFftLength(1));
            assertEquals(1L << 30, OpenClBackend.powerOfTwoFftLength(ConvShape.MAX_LENGTH));
            assertEquals(1L << 30, JvmBackend.smoothFftLength(ConvShape.MAX_LENGTH));
            assertThrows(IllegalArgumentException.class, () -> OpenClBackend.powerOfTwoFftLength(0));
            assertThrows(IllegalArgumentException.class, () -> jvm.convolutionFftLength(0));
        }
    }
}
