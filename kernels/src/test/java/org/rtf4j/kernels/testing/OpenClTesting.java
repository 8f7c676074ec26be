package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.opencl.OpenClDevices;

/**
 * Device tests' access to OpenCL. Without any platform the device tests are skipped (visibly, with the
 * reason) on a developer machine, and fail under {@code CI=true}, so a broken install cannot turn the
 * device suite into green skips. The device is chosen by {@code rtf4j.opencl.platform} /
 * {@code rtf4j.opencl.device} (index or name), default the first.
 */
public final class OpenClTesting {
    private OpenClTesting() {
    }

    /** An OpenCL backend, or a skip (developer machine) / failure (CI) when none is available. */
    public static OpenClBackend backend() {
        String why = OpenClDevices.unavailableReason();
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but " + why + " (.ci/run installs PoCL: pocl-opencl-icd, ocl-icd-libopencl1)");
            }
            Assumptions.assumeTrue(false, "device tests skipped: " + why);
        }
        return OpenClBackend.create(System.getProperty("rtf4j.opencl.platform"), System.getProperty("rtf4j.opencl.device"),
            System.getProperty("rtf4j.opencl.options", ""));
    }

    /** Asserts that work ran on the device: kernel launches with event times, device named. */
    public static void assertRanOnDevice(OpenClBackend be, long launchesBefore) {
        long launches = be.profiler().kernelLaunches() - launchesBefore;
        assertTrue(launches > 0, "no kernel ran on " + be.device().name());
        assertTrue(be.profiler().summary().stream().anyMatch(e -> e.kind().equals("KERNEL") && e.totalNanos() > 0),
            "no kernel event time recorded on " + be.device().name());
        assertEquals("opencl", be.name());
        assertTrue(be.deviceDescription().contains(be.device().name()));
    }
}
