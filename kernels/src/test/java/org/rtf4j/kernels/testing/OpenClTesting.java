package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.opencl.DeviceProfile;
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
        requireOpenCl();
        return OpenClBackend.create(platform(), device(), options(), profile());
    }

    /**
     * The emulation profile the device tests run under ({@code rtf4j.opencl.profile}: a name of
     * {@link DeviceProfile#named}; default none). The build runs the device tests once as the device is and
     * once per GPU profile (kernels/pom.xml).
     */
    public static DeviceProfile profile() {
        return DeviceProfile.named(System.getProperty("rtf4j.opencl.profile"));
    }

    /** Returns when an OpenCL platform is available; else skips (developer machine) or fails (CI). */
    public static void requireOpenCl() {
        String why = OpenClDevices.unavailableReason();
        if (why != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true but " + why + " (.ci/run installs PoCL: pocl-opencl-icd, ocl-icd-libopencl1)");
            }
            Assumptions.assumeTrue(false, "device tests skipped: " + why);
        }
    }

    /** The platform the device tests use ({@code rtf4j.opencl.platform}, null = first). */
    public static String platform() {
        return System.getProperty("rtf4j.opencl.platform");
    }

    /** The device the device tests use ({@code rtf4j.opencl.device}, null = first). */
    public static String device() {
        return System.getProperty("rtf4j.opencl.device");
    }

    /** The device tests' build options ({@code rtf4j.opencl.options}). */
    public static String options() {
        return System.getProperty("rtf4j.opencl.options", "");
    }

    /**
     * Skips the rest of a test, visibly and with the reason, when it needs float64 ({@code p} is F64) and
     * the device has no cl_khr_fp64.
     */
    public static void assumeFloat64(OpenClBackend be, Precision p) {
        Assumptions.assumeTrue(p != Precision.F64 || be.device().fp64(),
            () -> "float64 skipped: device " + be.device().name() + " has no cl_khr_fp64");
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
