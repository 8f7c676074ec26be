package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rtf4j.formats.OutputFiles;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtf4j profile}: one layer's forward + backward kernel by kernel, on an OpenCL device (event
 * times) or on the JVM backend (each kernel call timed by the wall clock), with the kernel time
 * cross-checked against wall time and an optional Chrome trace.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Profile a layer's forward + backward kernel by kernel on an OpenCL device or the JVM backend (presets in device-config/).")
final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kind", description = "Layer kind: rtf, s4d or s4 (default: ${DEFAULT-VALUE}).")
    String kind = "rtf";

    @Option(names = "--batch", description = "B (default: ${DEFAULT-VALUE}).")
    int batch = 4;

    @Option(names = "--channels", description = "H (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    @Option(names = "--state", description = "N (default: ${DEFAULT-VALUE}).")
    int state = 64;

    @Option(names = "--length", description = "L (default: ${DEFAULT-VALUE}).")
    int length = 1024;

    @Option(names = "--bidirectional", description = "Two-sided layer.")
    boolean bidirectional;

    @Option(names = "--precision", description = "F32 or F64 (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.F32;

    @Option(names = "--warmup", description = "Seconds of unprofiled forward+backward passes first (at least 3"
        + " passes), so the JIT has compiled the JVM kernels (default: ${DEFAULT-VALUE}).")
    double warmup = 2.0;

    @Option(names = "--repeats", description = "Profiled forward+backward repetitions after a warm-up (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--trace", description = "Write a Chrome trace-event JSON here.")
    String trace;

    @Option(names = "--backend", description = "jvm (kernel calls timed by the wall clock) or opencl (OpenCL events) (default: ${DEFAULT-VALUE}).")
    BackendOptions.Kind backend = BackendOptions.Kind.opencl;

    @Option(names = "--threads", description = "JVM backend workers (default: available processors).")
    Integer threads;

    @Option(names = "--platform", description = "OpenCL platform: index or name substring.")
    String platform;

    @Option(names = "--device", description = "OpenCL device: index or name substring.")
    String device;

    @Option(names = "--cl-options", description = "OpenCL build options (default: none).")
    String clOptions = "";

    @Override
    public Integer call() {
        if (!(warmup >= 0 && warmup <= 600)) {
            throw new IllegalArgumentException("--warmup must be in [0, 600] seconds, got " + Checks.text(warmup));
        }
        Checks.atLeast("--repeats", repeats, 1);
        Checks.atLeast("--batch", batch, 1);
        Checks.atLeast("--channels", channels, 1);
        Checks.atLeast("--state", state, 1);
        Checks.atLeast("--length", length, 1);
        LayerKind k = null;
        for (LayerKind x : LayerKind.values()) {
            if (x.id().equals(kind)) {
                k = x;
            }
        }
        if (k == null) {
            throw new IllegalArgumentException("--kind must be rtf, s4d or s4, got " + kind);
        }
        if (trace != null) {
            org.rtf4j.formats.OutputFiles.check("--trace", java.nio.file.Path.of(trace));
        }
        // before the backend or any array exists: refuse what cannot fit
        MemoryCheck.arrayLength("profile: the input of batch " + batch + " × channels " + channels + " × length " + length,
            MemoryCheck.times(batch, channels, length));
        MemoryCheck.require("profile: batch " + batch + " × channels " + channels + " × length " + length + " × state "
            + state, bytesNeeded(k));
        PrintWriter out = spec.commandLine().getOut();
        try (Backend be = BackendOptions.create(backend, threads, platform, device, clOptions, true, trace != null)) {
            long b0 = System.nanoTime();
            be.build();
            if (be.timesDeviceEvents()) {
                out.printf("device %s; program build %.1f ms (cold, before any run)%n", be.deviceDescription(),
                    (System.nanoTime() - b0) / 1e6);
            } else {
                out.printf("backend %s%n", be.deviceDescription());
            }
            run(k, be, be.timesDeviceEvents() ? "device" : "kernel", out);
        }
        out.flush();
        return 0;
    }

    /**
     * Heap of a profile run: the host arrays of {@link #run} (u and gy in float64, then y and du in float64,
     * or float32 copies of all four: 32 bytes a signal element either way) and the layer
     * ({@link SequenceLayers#hostBytes}, and on the JVM backend its buffers and the backend's workspace).
     */
    private long bytesNeeded(LayerKind k) {
        LayerSpec ls = new LayerSpec(k, channels, state, length, bidirectional, precision, 1);
        long bytes = MemoryCheck.plus(MemoryCheck.times(32, batch, channels, length), SequenceLayers.hostBytes(ls));
        if (backend == BackendOptions.Kind.jvm) {
            long n = JvmBackend.smoothFftLength(length);
            bytes = MemoryCheck.plus(bytes, SequenceLayers.bufferBytes(ls, batch, length, n), JvmBackend.workspaceBytes(
                BackendOptions.workers(backend, threads), (long) batch * channels, n, precision));
        }
        return bytes;
    }

    /**
     * Warm-up passes (at least 3 and {@code --warmup} seconds), then {@code repeats} profiled forward +
     * backward passes; prints the table and the time split.
     */
    private void run(LayerKind k, Backend be, String what, PrintWriter out) {
        Profiler prof = be.profiler();
        SplittableRandom r = new SplittableRandom(1);
        int n = batch * channels * length;
        // host arrays in the layer's precision and preallocated, as LayerBench and the study call it: only
        // the copies into and out of the backend's buffers are host work
        double[] u = new double[n];
        double[] gy = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = r.nextDouble(-1, 1);
            gy[i] = r.nextDouble(-1, 1);
        }
        float[] uf = precision == Precision.F32 ? toFloat(u) : null;
        float[] gyf = precision == Precision.F32 ? toFloat(gy) : null;
        double[] y = uf == null ? new double[n] : null;
        double[] du = uf == null ? new double[n] : null;
        float[] yf = uf != null ? new float[n] : null;
        float[] duf = uf != null ? new float[n] : null;
        try (ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(
            new LayerSpec(k, channels, state, length, bidirectional, precision, 1), be)) {
            Runnable pass = uf != null
                ? () -> {
                    layer.forward(uf, batch, length, yf);
                    layer.zeroGrad();
                    layer.backward(gyf, duf);
                }
                : () -> {
                    layer.forward(u, batch, length, y);
                    layer.zeroGrad();
                    layer.backward(gy, du);
                };
            int warm = 0;
            long w0 = System.nanoTime();
            while (warm < 3 || System.nanoTime() - w0 < (long) (warmup * 1e9)) {
                pass.run();
                warm++;
            }
            prof.reset();
            long t0 = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                pass.run();
            }
            long wall = System.nanoTime() - t0;
            long timed = prof.summary().stream().mapToLong(Profiler.Entry::totalNanos).sum();
            out.printf("%s %s, B=%d H=%d N=%d L=%d, %s, %d x forward+backward after %d warm-up passes%n", k.id(),
                bidirectional ? "bidirectional" : "causal", batch, channels, state, length, precision, repeats, warm);
            out.print(prof.table());
            out.printf("%s time %.3f ms of wall time %.3f ms (%.0f%%; the rest is host work%s)%n", what, timed / 1e6,
                wall / 1e6, 100.0 * timed / wall, "device".equals(what) ? " and launch overhead" : " outside the kernels");
            if (timed > wall) {
                throw new IllegalStateException(what + " timers (" + timed + " ns) exceed wall time (" + wall + " ns)");
            }
            if (trace != null) {
                BackendOptions.writeTrace(prof, java.nio.file.Path.of(trace), "rtf4j profile " + k.id());
                out.println("trace -> " + trace + " (open in Perfetto or chrome://tracing)");
            }
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
