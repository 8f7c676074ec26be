package org.rtf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
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
        description = "Print the per-kernel device profile; with a FILE also write a Chrome trace (Perfetto). OpenCL only.")
    String profile;

    /** Creates the chosen backend (the choice is logged once by the backend). */
    Backend create() {
        if (backend == Kind.jvm) {
            if (profile != null) {
                throw new IllegalArgumentException("--profile needs --backend opencl (kernel-level timers are OpenCL events)");
            }
            if (platform != null || device != null) {
                throw new IllegalArgumentException("--platform/--device select an OpenCL device; add --backend opencl");
            }
            return JvmBackend.withThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        }
        OpenClBackend cl = OpenClBackend.create(platform, device, clOptions);
        if (profile != null) {
            cl.profiler().setTracing(!profile.isEmpty());
        }
        return cl;
    }

    /** After the work: prints the profile and writes the trace when asked. */
    void report(Backend be, PrintWriter out) {
        if (profile == null || !(be instanceof OpenClBackend)) {
            return;
        }
        OpenClBackend cl = (OpenClBackend) be;
        out.println("device profile (" + cl.device().name() + "):");
        out.print(cl.profiler().table());
        if (!profile.isEmpty()) {
            cl.profiler().writeChromeTrace(Path.of(profile), "rtf4j " + cl.device().name());
            out.println("trace -> " + profile + " (open in Perfetto or chrome://tracing)");
        }
        out.flush();
    }
}
