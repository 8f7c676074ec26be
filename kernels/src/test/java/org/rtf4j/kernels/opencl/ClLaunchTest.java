package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.OpenClTesting;

/** The launcher refuses arguments that do not match their {@link ClKernel} parameter, naming both. */
class ClLaunchTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void up() {
        cl = OpenClTesting.backend();
    }

    @AfterAll
    static void down() {
        if (cl != null) {
            cl.close();
        }
    }

    private static void refused(String expected, Runnable launch) {
        IllegalStateException e = assertThrows(IllegalStateException.class, launch::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void argumentsAreCheckedAgainstTheirKinds() {
        ClRuntime rt = cl.runtime();
        long[] g = {4, 1};
        try (DeviceBuffer d = cl.allocate(Precision.F32, 8)) {
            ClBuffer x = (ClBuffer) d;
            refused("kernel scaleComplex takes 3 arguments [x:BUFFER, n:INT, s:REAL], got 2",
                () -> rt.launch(ClKernel.SCALE_COMPLEX, Precision.F32, g, null, x, 4));
            refused("kernel scaleComplex parameter s (REAL) is a Integer 1",
                () -> rt.launch(ClKernel.SCALE_COMPLEX, Precision.F32, g, null, x, 4, 1));
            refused("kernel scaleComplex parameter n (INT) is a Double 4.0",
                () -> rt.launch(ClKernel.SCALE_COMPLEX, Precision.F32, g, null, x, 4.0, 1.0));
            refused("kernel scaleComplex parameter x (BUFFER) is null",
                () -> rt.launch(ClKernel.SCALE_COMPLEX, Precision.F32, g, null, null, 4, 1.0));
            refused("kernel scaleComplex parameter x (BUFFER) is a F32 buffer in a F64 launch",
                () -> rt.launch(ClKernel.SCALE_COMPLEX, Precision.F64, g, null, x, 4, 1.0));
            refused("kernel fftLocalPow2 parameter buf (LOCAL) is a Integer 64",
                () -> rt.launch(ClKernel.FFT_LOCAL_POW2, Precision.F32, g, g, x, x, 4, -1, 64));
            // an empty launch is checked too, though it enqueues nothing
            refused("kernel conjugate parameter n (INT) is a Long 4",
                () -> rt.launch(ClKernel.CONJUGATE, Precision.F32, new long[] {0, 1}, null, x, 4L));
        }
        DeviceBuffer closed = cl.allocate(Precision.F32, 8);
        closed.close();
        refused("kernel conjugate parameter x (BUFFER) is a closed buffer",
            () -> rt.launch(ClKernel.CONJUGATE, Precision.F32, new long[] {4, 1}, null, closed, 4));
        try (OpenClBackend other = OpenClTesting.backend(); DeviceBuffer d = other.allocate(Precision.F32, 8)) {
            refused("kernel conjugate parameter x (BUFFER) is a buffer of another backend",
                () -> rt.launch(ClKernel.CONJUGATE, Precision.F32, new long[] {4, 1}, null, d, 4));
        }
    }

    @Test
    void aCheckedLaunchRuns() {
        try (DeviceBuffer d = cl.allocate(Precision.F32, 8)) {
            cl.write(d, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            ClRuntime rt = cl.runtime();
            rt.launch(ClKernel.SCALE_COMPLEX, Precision.F32, new long[] {4, 1}, null, d, 4, 0.5);
            double[] out = new double[8];
            cl.read(d, 0, out, 0, 8);
            assertEquals(3.5, out[6]);
        }
    }
}
