package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rtf4j.baselines.LayerSpec;
import org.rtf4j.baselines.SequenceLayers;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.opencl.Profiler;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./rtf4j profile}: one layer's forward + backward on an OpenCL device, kernel by kernel, with
 * the device time cross-checked against wall time and an optional Chrome trace.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Profile a layer's forward + backward on an OpenCL device kernel by kernel (presets in device-config/).")
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

    @Option(names = "--repeats", description = "Profiled forward+backward repetitions after a warm-up (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--trace", description = "Write a Chrome trace-event JSON here.")
    String trace;

    @Option(names = "--platform", description = "OpenCL platform: index or name substring.")
    String platform;

    @Option(names = "--device", description = "OpenCL device: index or name substring.")
    String device;

    @Option(names = "--cl-options", description = "OpenCL build options (default: none).")
    String clOptions = "";

    @Override
    public Integer call() {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats=" + repeats + " must be >= 1");
        }
        LayerKind k = null;
        for (LayerKind x : LayerKind.values()) {
            if (x.id().equals(kind)) {
                k = x;
            }
        }
        if (k == null) {
            throw new IllegalArgumentException("--kind=" + kind + " must be rtf, s4d or s4");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (OpenClBackend cl = OpenClBackend.create(platform, device, clOptions)) {
            long b0 = System.nanoTime();
            cl.build();
            out.printf("device %s; program build %.1f ms (cold, before any run)%n", cl.device().describe(),
                (System.nanoTime() - b0) / 1e6);
            SplittableRandom r = new SplittableRandom(1);
            double[] u = new double[batch * channels * length];
            double[] gy = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = r.nextDouble(-1, 1);
                gy[i] = r.nextDouble(-1, 1);
            }
            try (ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(
                new LayerSpec(k, channels, state, length, bidirectional, precision, 1), (Backend) cl)) {
                double[] du = new double[u.length];
                layer.forward(u, batch, length);
                layer.backward(gy, du);
                Profiler prof = cl.profiler();
                prof.reset();
                prof.setTracing(trace != null);
                long t0 = System.nanoTime();
                for (int i = 0; i < repeats; i++) {
                    layer.forward(u, batch, length);
                    layer.zeroGrad();
                    layer.backward(gy, du);
                }
                long wall = System.nanoTime() - t0;
                long device = prof.summary().stream().mapToLong(Profiler.Entry::totalNanos).sum();
                out.printf("%s %s, B=%d H=%d N=%d L=%d, %d x forward+backward (warm)%n", k.id(),
                    bidirectional ? "bidirectional" : "causal", batch, channels, state, length, repeats);
                out.print(prof.table());
                out.printf("device time %.3f ms of wall time %.3f ms (%.0f%%; the rest is host work and launch overhead)%n",
                    device / 1e6, wall / 1e6, 100.0 * device / wall);
                if (device > wall) {
                    throw new IllegalStateException("device timers (" + device + " ns) exceed wall time (" + wall + " ns)");
                }
                if (trace != null) {
                    prof.writeChromeTrace(java.nio.file.Path.of(trace), "rtf4j profile " + k.id());
                    out.println("trace -> " + trace + " (open in Perfetto or chrome://tracing)");
                }
            }
        }
        out.flush();
        return 0;
    }
}
