package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * RTF, S4D and S4 side by side at one shape: kernel generation, forward, backward and a recurrent
 * check, with wall times and the largest error against direct O(ℓ²) sums in float64.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run RTF, S4D and S4 layers forward + backward + recurrent check; compare with direct O(L^2) sums.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kinds", split = ",", description = "Layer kinds, comma separated (default: rtf,s4d,s4).")
    List<String> kinds = List.of("rtf", "s4d", "s4");

    @Option(names = "--batch", description = "Batch size B (default: ${DEFAULT-VALUE}).")
    int batch = 4;

    @Option(names = "--channels", description = "Channels H (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    @Option(names = "--state", description = "State size N, the real state dimension for every kind (default: ${DEFAULT-VALUE}).")
    int state = 64;

    @Option(names = "--length", description = "Sequence and kernel length L (default: ${DEFAULT-VALUE}).")
    int length = 2048;

    @Option(names = "--num-a", description = "RTF: distinct denominators numA (default: H).")
    Integer numA;

    @Option(names = "--bidirectional", description = "Two-sided layers.")
    boolean bidirectional;

    @Option(names = "--precision", description = "F32 or F64 (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.F32;

    @picocli.CommandLine.Mixin
    BackendOptions backendOptions = new BackendOptions();

    @Option(names = "--repeats", description = "Timed repetitions after one warm-up; the best is printed (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats=" + repeats + " must be >= 1");
        }
        long signal = (long) batch * channels * length;
        if (signal > 50_000_000L) {
            throw new IllegalArgumentException("B*H*L=" + signal + " exceeds the demo's limit 50,000,000");
        }
        List<LayerKind> selected = kinds.stream().map(DemoCommand::kind).toList();
        SplittableRandom r = new SplittableRandom(seed);
        // host arrays in float64; the layers round them to their precision
        double[] u = new double[(int) signal];
        double[] gy = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) r.nextDouble(-1, 1);
            gy[i] = (float) r.nextDouble(-1, 1);
        }
        try (Backend be = backendOptions.create()) {
            out.printf("backend %s: %s%n", be.name(), be.deviceDescription());
            out.printf("shape: u, y, du (B=%d, H=%d, L=%d), state size N=%d, %s, %s%n", batch, channels, length, state,
                bidirectional ? "bidirectional" : "causal", precision);
            for (LayerKind kind : selected) {
                try (ConvolutionalLayer layer = create(kind, be, r)) {
                    run(out, layer, u, gy);
                }
            }
            out.println();
            backendOptions.report(be, out);
            out.flush();
        }
        return 0;
    }

    private static LayerKind kind(String s) {
        for (LayerKind k : LayerKind.values()) {
            if (k.id().equals(s.trim().toLowerCase(java.util.Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--kinds: unknown layer kind '" + s + "', expected rtf, s4d or s4");
    }

    private ConvolutionalLayer create(LayerKind kind, Backend be, SplittableRandom r) {
        if (kind == LayerKind.RTF) {
            // stable random denominators and numerators, so the kernel is not the trivial zero-init h0·δ
            LayerSpec spec = new LayerSpec(kind, channels, state, length, bidirectional, precision, seed,
                new LayerSpec.RtfOptions(numA != null ? numA : channels, RtfConfig.Constraint.NONE, RtfConfig.Init.MONTEL,
                    RtfConfig.H0Init.ONE));
            RtfLayer layer = (RtfLayer) SequenceLayers.create(spec, be);
            RtfConfig cfg = layer.config();
            double[] ab = layer.ab().value();
            for (int i = cfg.directions() * cfg.numA() * state; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1) / Math.sqrt(state);
            }
            return layer;
        }
        LayerSpec spec = new LayerSpec(kind, channels, state, length, bidirectional, precision, seed);
        return (ConvolutionalLayer) SequenceLayers.create(spec, be);
    }

    private void run(PrintWriter out, ConvolutionalLayer layer, double[] u, double[] gy) {
        double[] y = new double[u.length];
        double[] du = new double[u.length];
        out.printf("%n%s: %s%n", layer.kind().id(), layer);
        double kernelMs = Double.MAX_VALUE;
        double fwd = Double.MAX_VALUE;
        double bwd = Double.MAX_VALUE;
        layer.kernel(0, length);
        layer.forward(u, batch, length, y);
        layer.backward(gy, du);
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            layer.kernel(0, length);
            long t1 = System.nanoTime();
            layer.forward(u, batch, length, y);
            long t2 = System.nanoTime();
            layer.zeroGrad();
            layer.backward(gy, du);
            long t3 = System.nanoTime();
            kernelMs = Math.min(kernelMs, (t1 - t0) / 1e6);
            fwd = Math.min(fwd, (t2 - t1) / 1e6);
            bwd = Math.min(bwd, (t3 - t2) / 1e6);
        }
        String rate = "";
        if (layer.kind() == LayerKind.S4D) {
            // complex multiply + accumulate per mode and lag: 8 flops
            rate = String.format(", Vandermonde %.2f GFLOP/s", 8.0 * channels * (state / 2) * length / (kernelMs * 1e6));
        } else if (layer.kind() == LayerKind.S4) {
            // per channel, node (ceil(L/2) on the imaginary axis) and mode: two complex reciprocals and four
            // two-term Cauchy products accumulated, about 74 flops (a division counted as one)
            rate = String.format(", Cauchy %.2f GFLOP/s",
                74.0 * channels * (state / 2) * ((length + 1) / 2) / (kernelMs * 1e6));
        }
        out.printf("  wall time (best of %d after a warm-up): kernel %.2f ms%s, forward %.2f ms, backward %.2f ms%n",
            repeats, kernelMs, rate, fwd, bwd);

        double[] kf = layer.kernel(0, length);
        double[] kb = bidirectional ? layer.kernel(1, length) : null;
        double[] err = directErrors(kf, kb, u, gy, y, du);
        out.printf("  max error vs direct O(L^2) convolution (max|diff| / max(1, max|ref|)): y %.2e, du %.2e%n", err[0], err[1]);

        if (!bidirectional) {
            Recurrence rec = layer.recurrent(batch);
            long r0 = System.nanoTime();
            double[] ySteps = rec.run(u, length);
            long r1 = System.nanoTime();
            double recErr = 0;
            for (int i = 0; i < y.length; i++) {
                recErr = Math.max(recErr, Math.abs(ySteps[i] - y[i]));
            }
            out.printf("  recurrent: %d steps over (B=%d, H=%d), %.3f us/step, max |y_step - y_conv| / max(1, max|y|) = %.2e%n",
                length, batch, channels, (r1 - r0) / 1e3 / length, recErr / err[2]);
        } else {
            out.println("  recurrent: not available for a bidirectional layer");
        }
    }

    /** Errors of y and du against direct sums with the layer's own kernels; [2] is max(1, max|y_ref|). */
    private double[] directErrors(double[] kf, double[] kb, double[] u, double[] gy, double[] y, double[] du) {
        double yErr = 0;
        double duErr = 0;
        double yMax = 1;
        double duMax = 1;
        for (int row = 0; row < batch * channels; row++) {
            int c = row % channels;
            int o = row * length;
            for (int tt = 0; tt < length; tt++) {
                double acc = 0;
                for (int j = 0; j <= tt; j++) {
                    acc += kf[c * length + tt - j] * u[o + j];
                }
                // du_t = sum_{s >= t} gy_s kf_{s-t} (+ sum_{s < t} gy_s kb_{t-s-1})
                double accDu = 0;
                for (int s = tt; s < length; s++) {
                    accDu += gy[o + s] * kf[c * length + s - tt];
                }
                if (kb != null) {
                    for (int j = tt + 1; j < length; j++) {
                        acc += kb[c * length + j - tt - 1] * u[o + j];
                    }
                    for (int s = 0; s < tt; s++) {
                        accDu += gy[o + s] * kb[c * length + tt - s - 1];
                    }
                }
                yErr = Math.max(yErr, Math.abs(acc - y[o + tt]));
                duErr = Math.max(duErr, Math.abs(accDu - du[o + tt]));
                yMax = Math.max(yMax, Math.abs(acc));
                duMax = Math.max(duMax, Math.abs(accDu));
            }
        }
        return new double[] {yErr / yMax, duErr / duMax, yMax};
    }
}
