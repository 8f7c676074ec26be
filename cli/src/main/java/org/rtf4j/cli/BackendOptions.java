package org.rtf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.profile.Profiler;
import picocli.CommandLine.Option;

/** The explicit backend choice shared by every command that runs layers; never a silent fallback. */
final class BackendOptions {
    /** Compute backends. */
    enum Kind { jvm, opencl }

    @Option(names = "--backend", description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kind backend = Kind.jvm;

    @Option(names = "--threads", description = "JVM backend threads (default: available processors).")
    Integer threads;

    @Option(names = "--platform", description = "OpenCL platform: index or name substring (default: the first).")
    String platform;

    @Option(names = "--device", description = "OpenCL device: index or name substring (default: the first).")
    String device;

    @Option(names = "--cl-options", description = "OpenCL build options, e.g. -cl-fast-relaxed-math (default: none).")
    String clOptions = "";

    @Option(names = "--profile", arity = "0..1", fallbackValue = "",
        description = "Print the per-kernel profile (OpenCL event times, or JVM kernel calls timed by the wall clock); "
            + "with a FILE also write a Chrome trace (Perfetto).")
    String profile;

    /** Creates the chosen backend (the choice is logged once by the backend). */
    Backend create() {
        if (backend == Kind.jvm) {
            if (platform != null || device != null) {
                throw new IllegalArgumentException("--platform/--device select an OpenCL device; add --backend opencl");
            }
            JvmBackend jvm = JvmBackend.withThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
            if (profile != null) {
                jvm.setProfiling(true);
                jvm.profiler().setTracing(!profile.isEmpty());
            }
            return jvm;
        }
        OpenClBackend cl = OpenClBackend.create(platform, device, clOptions);
        if (profile != null) {
            cl.profiler().setTracing(!profile.isEmpty());
        }
        return cl;
    }

    /** After the work: prints the profile and writes the trace when asked. */
    void report(Backend be, PrintWriter out) {
        if (profile == null) {
            return;
        }
        Profiler prof;
        String where;
        if (be instanceof OpenClBackend) {
            prof = ((OpenClBackend) be).profiler();
            where = "device profile (" + ((OpenClBackend) be).device().name() + ")";
        } else if (be instanceof JvmBackend) {
            prof = ((JvmBackend) be).profiler();
            where = "kernel profile (" + be.deviceDescription() + ", wall clock per kernel call)";
        } else {
            return;
        }
        out.println(where + ":");
        out.print(prof.table());
        if (!profile.isEmpty()) {
            prof.writeChromeTrace(Path.of(profile), "rtf4j " + be.name());
            out.println("trace -> " + profile + " (open in Perfetto or chrome://tracing)");
        }
        out.flush();
    }
}
