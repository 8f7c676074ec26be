package org.rtf4j.bench;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.DeviceProfile;
import org.rtf4j.kernels.opencl.OpenClBackend;

/** The benchmarks' explicit backend choice: "jvm" (all processors) or "opencl" (a GPU first, or -Drtf4j.opencl.device;
 * -Drtf4j.opencl.profile emulates a device profile). */
final class Backends {
    private Backends() {
    }

    static Backend open(String name) {
        switch (name) {
            case "jvm":
                return JvmBackend.withThreads(Integer.getInteger("rtf4j.threads", Runtime.getRuntime().availableProcessors()));
            case "opencl":
                return OpenClBackend.create(System.getProperty("rtf4j.opencl.platform"), System.getProperty("rtf4j.opencl.device"),
                    System.getProperty("rtf4j.opencl.options", ""), DeviceProfile.named(System.getProperty("rtf4j.opencl.profile")));
            default:
                throw new IllegalArgumentException("backend must be jvm or opencl, got " + name);
        }
    }

    /** Largest H·N·L of an S4/S4D case (-Drtf4j.bench.budget), so sweeps finish; larger cases are refused in setup. */
    static long budget() {
        return Long.getLong("rtf4j.bench.budget", 1L << 28);
    }
}
