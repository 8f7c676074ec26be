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
            refused("kernel mulTable takes 3 arguments [w:BUFFER, table:BUFFER, m:INT], got 2",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, g, null, x, x));
            refused("kernel bluesteinPost parameter s (REAL) is a Integer 1",
                () -> rt.launch(ClKernel.BLUESTEIN_POST, Precision.F32, g, null, x, x, x, 4, 4, -1, 1));
            refused("kernel mulTable parameter m (INT) is a Double 4.0",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, g, null, x, x, 4.0));
            refused("kernel mulTable parameter w (BUFFER) is null",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, g, null, null, x, 4));
            refused("kernel mulTable parameter w (BUFFER) is a F32 buffer in a F64 launch",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F64, g, null, x, x, 4));
            refused("kernel fftLocal parameter buf (LOCAL) is a Integer 64",
                () -> rt.launch(ClKernel.FFT_LOCAL, Precision.F32, g, g, x, x, x, 2, 2, 0, 1, 0, 0, 1, 0, 1, 0, -1, 1.0, 64));
            // an empty launch is checked too, though it enqueues nothing
            refused("kernel mulTable parameter m (INT) is a Long 4",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, new long[] {0, 1}, null, x, x, 4L));
        }
        DeviceBuffer closed = cl.allocate(Precision.F32, 8);
        closed.close();
        refused("kernel mulTable parameter w (BUFFER) is a closed buffer",
            () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, new long[] {4, 1}, null, closed, closed, 4));
        try (OpenClBackend other = OpenClTesting.backend(); DeviceBuffer d = other.allocate(Precision.F32, 8)) {
            refused("kernel mulTable parameter w (BUFFER) is a buffer of another backend",
                () -> rt.launch(ClKernel.MUL_TABLE, Precision.F32, new long[] {4, 1}, null, d, d, 4));
        }
    }

    /** Index buffers (issue 15): an INDICES parameter takes the open 4-byte storage of this backend's index buffers. */
    @Test
    void indexArgumentsAreCheckedAgainstTheirKind() {
        // a float64 buffer is the wrong kind that the check must name: on devices that have float64
        OpenClTesting.assumeFloat64(cl, Precision.F64);
        ClRuntime rt = cl.runtime();
        long[] g = {4, 1};
        try (DeviceBuffer d = cl.allocate(Precision.F64, 8)) {
            ClBuffer x = (ClBuffer) d;
            ClIndexBuffer closed = (ClIndexBuffer) cl.allocateIndices(4);
            closed.close();
            refused("kernel pool parameter lengths (INDICES) has 8-byte elements, not 4-byte integers",
                () -> rt.launch(ClKernel.POOL, Precision.F64, g, null, x, x, x, 4, 1, 1, 1));
            refused("kernel pool parameter lengths (INDICES) is a ClIndexBuffer",
                () -> rt.launch(ClKernel.POOL, Precision.F64, g, null, closed, x, x, 4, 1, 1, 1));
            refused("kernel pool parameter lengths (INDICES) is a closed buffer",
                () -> rt.launch(ClKernel.POOL, Precision.F64, g, null, closed.storage, x, x, 4, 1, 1, 1));
            try (OpenClBackend other = OpenClTesting.backend()) {
                ClIndexBuffer foreign = (ClIndexBuffer) other.allocateIndices(4);
                refused("kernel pool parameter lengths (INDICES) is a buffer of another backend",
                    () -> rt.launch(ClKernel.POOL, Precision.F64, g, null, foreign.storage, x, x, 4, 1, 1, 1));
                foreign.close();
            }
        }
    }

    @Test
    void aCheckedLaunchRuns() {
        try (DeviceBuffer d = cl.allocate(Precision.F32, 8)) {
            cl.write(d, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8);
            ClRuntime rt = cl.runtime();
            rt.launch(ClKernel.MUL_TABLE, Precision.F32, new long[] {4, 1}, null, d, d, 4);
            double[] out = new double[8];
            cl.read(d, 0, out, 0, 8);
            assertEquals(-15.0, out[6]); // (7 + 8i)^2
            assertEquals(112.0, out[7]);
        }
    }
}
