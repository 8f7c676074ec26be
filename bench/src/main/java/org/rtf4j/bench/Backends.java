package org.rtf4j.bench;

import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;

/** The benchmarks' explicit backend choice: "jvm" (all processors) or "opencl" (first device, or -Drtf4j.opencl.device). */
final class Backends {
    private Backends() {
    }

    static Backend open(String name) {
        switch (name) {
            case "jvm":
                return JvmBackend.withThreads(Integer.getInteger("rtf4j.threads", Runtime.getRuntime().availableProcessors()));
            case "opencl":
                return OpenClBackend.create(System.getProperty("rtf4j.opencl.platform"), System.getProperty("rtf4j.opencl.device"),
                    System.getProperty("rtf4j.opencl.options", ""));
            default:
                throw new IllegalArgumentException("backend must be jvm or opencl, got " + name);
        }
    }

    /** Largest H·N·L of an S4/S4D case (-Drtf4j.bench.budget), so sweeps finish; larger cases are refused in setup. */
    static long budget() {
        return Long.getLong("rtf4j.bench.budget", 1L << 28);
    }
}
