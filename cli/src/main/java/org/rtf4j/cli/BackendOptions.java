package org.rtf4j.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rtf4j.formats.OutputFiles;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.train.nn.HostProfile;
import picocli.CommandLine.Option;

/** The explicit backend choice shared by every command that runs layers; never a silent fallback. */
final class BackendOptions {
    /** Compute backends. */
    enum Kind { jvm, opencl }

    @Option(names = "--backend", description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kind backend = Kind.jvm;

    @Option(names = "--threads", description = "Worker threads of the JVM backend (default: available processors).")
    Integer threads;

    @Option(names = "--platform", description = "OpenCL platform: index or name substring (default: any; a GPU is preferred).")
    String platform;

    @Option(names = "--device", description = "OpenCL device: index or name substring (default: the first GPU, else accelerator, else CPU).")
    String device;

    @Option(names = "--cl-options", description = "OpenCL build options, e.g. -cl-fast-relaxed-math (default: none).")
    String clOptions = "";

    @Option(names = "--profile", arity = "0..1", fallbackValue = "",
        description = "Print the per-kernel profile (OpenCL event times, or JVM kernel calls timed by the wall clock; "
            + "train adds its host work as HOST rows); with a FILE also write a Chrome trace (Perfetto).")
    String profile;

    /** True when the chosen backend keeps its buffers on the JVM heap (the JVM backend). */
    boolean heapBuffers() {
        return backend == Kind.jvm;
    }

    /**
     * The chosen backend's convolution FFT length for input length ℓ ({@code Backend.convolutionFftLength}, by
     * its class's rule), for the checks a command makes before the backend exists.
     */
    long convolutionFftLength(long length) {
        return backend == Kind.jvm ? JvmBackend.smoothFftLength(length) : OpenClBackend.powerOfTwoFftLength(length);
    }

    /** Worker threads of the JVM backend (--threads, checked, or the available processors); 0 for OpenCL. */
    int workers() {
        return workers(backend, threads);
    }

    /** As {@link #workers()} for a backend kind and thread choice. */
    static int workers(Kind kind, Integer threads) {
        if (kind != Kind.jvm) {
            return 0;
        }
        Checks.threads(threads);
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Creates the chosen backend (a JVM backend owns its threads), after checking that the trace file of
     * {@code --profile FILE} can be written, so that a bad path fails before the work. The choice is logged
     * once by the backend.
     */
    Backend create() {
        if (profile != null && !profile.isEmpty()) {
            OutputFiles.check("--profile", Path.of(profile));
        }
        return create(backend, threads, platform, device, clOptions, profile != null, profile != null && !profile.isEmpty());
    }

    /**
     * The one place a backend is made from command-line choices (also for {@code profile}, which always
     * profiles): refuses options of the other backend, switches kernel timing on when {@code profiled}.
     */
    static Backend create(Kind kind, Integer threads, String platform, String device, String clOptions, boolean profiled,
                          boolean tracing) {
        if (kind == Kind.opencl && threads != null) {
            throw new IllegalArgumentException("--threads sets JVM backend workers; it does not apply to --backend opencl");
        }
        Backend be;
        Checks.threads(threads);
        if (kind == Kind.jvm) {
            if (platform != null || device != null || !clOptions.isEmpty()) {
                throw new IllegalArgumentException("--platform/--device/--cl-options select an OpenCL device; "
                    + "they do not apply to --backend jvm (add --backend opencl)");
            }
            JvmBackend jvm = JvmBackend.withThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
            jvm.setProfiling(profiled);
            be = jvm;
        } else {
            be = OpenClBackend.create(platform, device, clOptions);
        }
        be.profiler().setTracing(tracing);
        return be;
    }

    /** True with {@code --profile} (with or without a trace file). */
    boolean profiling() {
        return profile != null;
    }

    /** After the work: prints the profile and writes the trace when asked. */
    void report(Backend be, PrintWriter out) {
        if (profile == null) {
            return;
        }
        Profiler prof = be.profiler();
        out.println((be.timesDeviceEvents() ? "device profile (" + be.deviceDescription() + ")"
            : "kernel profile (" + be.deviceDescription() + ", wall clock per kernel call)") + ":");
        if (prof.summary().stream().anyMatch(e -> e.kind().equals(HostProfile.KIND))) {
            out.println("HOST rows: the training step's host work (batch, loss read, checks, the optimiser's host part, the"
                + " SSM layers' host remainder), wall clock, summed over blocks"
                + (be.timesDeviceEvents() ? " (shares mix host wall time with device time)"
                : "; with the kernels they partition the run, so a share is a share of it"));
        }
        out.print(prof.table());
        if (!profile.isEmpty()) {
            writeTrace(prof, Path.of(profile), "rtf4j " + be.name());
            out.println("trace -> " + profile + " (open in Perfetto or chrome://tracing)");
        }
        out.flush();
    }

    /** Writes the profiler's Chrome trace to {@code file} under the output policy ({@link OutputFiles}). */
    static void writeTrace(Profiler prof, Path file, String process) {
        OutputFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            prof.writeChromeTrace(w, process);
            w.flush();
        });
    }
}
