package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The twins of {@link OpenClKernelsTest} on the device opened as if it had no cl_khr_fp64: {@code wide}
 * is float, so the float32 modal kernels are held to {@link Check.Device#OPENCL_NO_FP64}'s budgets, and
 * the float64 cases are skipped with the reason instead of passing empty.
 */
class OpenClKernelsWithoutFp64Test extends OpenClKernelsTest {

    @Override
    OpenClBackend open() {
        OpenClTesting.requireOpenCl();
        return OpenClBackend.createWithoutFp64(OpenClTesting.platform(), OpenClTesting.device(), OpenClTesting.options());
    }

    @Test
    void float64IsRefusedAndItsTestsAreSkippedVisibly() {
        assertFalse(cl.device().fp64());
        assertTrue(cl.deviceDescription().endsWith("fp64 no"), cl.deviceDescription());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.allocate(Precision.F64, 4));
        assertTrue(e.getMessage().contains("has no cl_khr_fp64"), e.getMessage());
        TestAbortedException skip = assertThrows(TestAbortedException.class, () -> OpenClTesting.assumeFloat64(cl, Precision.F64));
        assertTrue(skip.getMessage().contains("float64 skipped: device " + cl.device().name() + " has no cl_khr_fp64"),
            skip.getMessage());
        OpenClTesting.assumeFloat64(cl, Precision.F32);
    }
}
