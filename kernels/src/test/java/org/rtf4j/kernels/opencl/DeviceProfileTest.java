package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * Emulated device profiles: what each caps (no device needed), and on the test device that the backend
 * plans for the capped limits, refuses float64 without fp64 and names the profile.
 */
class DeviceProfileTest {
    private static final DeviceLimits BIG = new DeviceLimits(4096, 4096, 1 << 20, false, 4L << 30, true, DeviceLimits.FP_INF_NAN);

    @Test
    void namedProfilesCapTheLimitsAndNeverRaiseThem() {
        DeviceLimits nv = DeviceProfile.named("nvidia-48k").apply(BIG);
        assertEquals(48 << 10, nv.localMemBytes());
        assertEquals(1024, nv.maxWorkGroup());
        assertEquals(1024, nv.maxWorkItemSizeX());
        assertTrue(nv.fp64());
        DeviceLimits amd = DeviceProfile.named("AMD-64K").apply(BIG);
        assertEquals(64 << 10, amd.localMemBytes());
        assertEquals(256, amd.groupCap());
        DeviceLimits none = DeviceProfile.named("no-fp64").apply(BIG);
        assertFalse(none.fp64());
        assertEquals(BIG.localMemBytes(), none.localMemBytes());
        assertEquals("-cl-single-precision-constant", DeviceProfile.named("no-fp64").buildOptions());
        DeviceLimits small = new DeviceLimits(128, 128, 16 << 10, true, 1L << 30, false, 0);
        assertEquals(small, DeviceProfile.named("nvidia-48k").apply(small));
        assertEquals(DeviceProfile.NONE, DeviceProfile.named(null));
        assertEquals(BIG, DeviceProfile.NONE.apply(BIG));
    }

    @Test
    void anUnknownProfileIsOneLineListingTheNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceProfile.named("h100"));
        assertEquals("device profile must be one of none, nvidia-48k, amd-64k, no-fp64, fast-math, got 'h100'", e.getMessage());
    }

    @Test
    void theBackendPlansForTheCappedDevice() {
        OpenClTesting.requireOpenCl();
        try (OpenClBackend be = OpenClBackend.create(OpenClTesting.platform(), OpenClTesting.device(), "",
            DeviceProfile.named("amd-64k"))) {
            assertTrue(be.device().localMemBytes() <= 64 << 10);
            assertTrue(be.device().maxWorkGroup() <= 256);
            assertTrue(be.runtime().limits(Precision.F32, ClKernel.SPECTRAL_MUL).workGroup() <= 256);
        }
    }

    @Test
    void withoutFp64Float64IsRefusedAndItsTestsAreSkippedVisibly() {
        OpenClTesting.requireOpenCl();
        try (OpenClBackend cl = OpenClBackend.create(OpenClTesting.platform(), OpenClTesting.device(), "",
            DeviceProfile.named("no-fp64"))) {
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
}
