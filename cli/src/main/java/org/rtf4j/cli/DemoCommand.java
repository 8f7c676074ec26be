package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
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

    /** Largest B·H·L the demo runs (its direct reference and host arrays are float64). */
    static final long MAX_SIGNAL = 50_000_000L;

    /**
     * Multiply-adds the direct O(L²) reference may spend (about a second); past it, the check covers evenly
     * spaced rows and positions, and the printed line says how many.
     */
    static final long DIRECT_BUDGET = 1L << 28;

    /** Row-steps × state size the recurrent check may spend; past it, the check runs on a prefix of the steps. */
    static final long RECURRENT_BUDGET = 1L << 28;

    /** H·N³·log₂L the S4 recurrent form's dense N×N set-up may spend; past it, the recurrent check is skipped. */
    static final long S4_SETUP_BUDGET = 1L << 31;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Checks.atLeast("--batch", batch, 1);
        Checks.atLeast("--channels", channels, 1);
        Checks.atLeast("--state", state, 1);
        Checks.atLeast("--length", length, 1);
        Checks.atLeast("--repeats", repeats, 1);
        if (numA != null) {
            Checks.inRange("--num-a", numA, 1, channels);
        }
        Checks.threads(backendOptions.threads);
        long signal = MemoryCheck.times(batch, channels, length);
        if (signal > MAX_SIGNAL) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                "--batch × --channels × --length must be ≤ %,d for the demo, got %d × %d × %d = %,d", MAX_SIGNAL, batch,
                channels, length, signal));
        }
        List<LayerKind> selected = kinds.stream().map(DemoCommand::kind).toList();
        MemoryCheck.require("demo: batch " + batch + " × channels " + channels + " × length " + length + " × state "
            + state, bytesNeeded(selected));
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

    /**
     * Heap the demo needs: u and gy, and per layer y, du, the kernels, the recurrent outputs and state
     * (float64), and the largest of the selected layers ({@link SequenceLayers#hostBytes}, and on the JVM
     * backend its buffers and the backend's workspace; S4's dense set-up matrices when its recurrent check
     * runs). Validates the layer configurations as building them would.
     */
    private long bytesNeeded(List<LayerKind> selected) {
        long s = MemoryCheck.times(batch, channels, length);
        int dirs = bidirectional ? 2 : 1;
        long host = MemoryCheck.times(8, MemoryCheck.plus(MemoryCheck.times(6, s),
            MemoryCheck.times(2 * dirs, channels, length), MemoryCheck.times(2, batch, channels, state)));
        long largest = 0;
        for (LayerKind k : selected) {
            LayerSpec ls = spec(k);
            long layer = SequenceLayers.hostBytes(ls);
            if (backendOptions.heapBuffers()) {
                long n = JvmBackend.smoothFftLength(length);
                long own = SequenceLayers.bufferBytes(ls, batch, length, n);
                layer = MemoryCheck.plus(layer, own, JvmBackend.workspaceBytes(backendOptions.workers(),
                    (long) batch * channels, n, precision));
            }
            if (k == LayerKind.S4 && !bidirectional && s4SetupAffordable()) {
                // about ten dense complex N×N matrices (16 bytes an entry), one channel at a time
                layer = MemoryCheck.plus(layer, MemoryCheck.times(10 * 16, state, state));
            }
            largest = Math.max(largest, layer);
        }
        return MemoryCheck.plus(host, largest);
    }

    /** Whether S4's recurrent form (dense N×N solves and log₂L squarings per channel) fits the demo's budget. */
    private boolean s4SetupAffordable() {
        long log = 64 - Long.numberOfLeadingZeros(length);
        return MemoryCheck.times(channels, state, state, state, log) <= S4_SETUP_BUDGET;
    }

    private static LayerKind kind(String s) {
        for (LayerKind k : LayerKind.values()) {
            if (k.id().equals(s.trim().toLowerCase(java.util.Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("--kinds: unknown layer kind '" + s + "', expected rtf, s4d or s4");
    }

    /** The demo's layer of a kind; RTF with stable (Montel) denominators and h0 = 1, numerators drawn below. */
    private LayerSpec spec(LayerKind kind) {
        return new LayerSpec(kind, channels, state, length, bidirectional, precision, seed,
            new LayerSpec.RtfOptions(numA != null ? numA : channels, RtfConfig.Constraint.NONE, RtfConfig.Init.MONTEL,
                RtfConfig.H0Init.ONE));
    }

    private ConvolutionalLayer create(LayerKind kind, Backend be, SplittableRandom r) {
        if (kind == LayerKind.RTF) {
            // stable random denominators and numerators, so the kernel is not the trivial zero-init h0·δ
            RtfLayer layer = (RtfLayer) SequenceLayers.create(spec(kind), be);
            RtfConfig cfg = layer.config();
            double[] ab = layer.ab().value();
            for (int i = cfg.directions() * cfg.numA() * state; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1) / Math.sqrt(state);
            }
            return layer;
        }
        return (ConvolutionalLayer) SequenceLayers.create(spec(kind), be);
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
        Direct direct = directErrors(kf, kb, u, gy, y, du);
        out.printf("  max error vs direct O(L^2) convolution%s (max|diff| / max(1, max|ref|)): y %.2e, du %.2e%n",
            direct.coverage, direct.yErr, direct.duErr);

        if (bidirectional) {
            out.println("  recurrent: not available for a bidirectional layer");
        } else if (layer.kind() == LayerKind.S4 && !s4SetupAffordable()) {
            out.printf("  recurrent: skipped (S4's recurrent form solves %d dense %dx%d complex systems and takes log2(L)"
                + " matrix squarings each; more than the demo spends at N=%d)%n", channels, state, state, state);
        } else {
            // a prefix of the steps when all of them would take long (the prefix of a causal output is exact)
            long perStep = MemoryCheck.times(batch, channels, Math.max(1, state));
            int steps = (int) Math.max(1, Math.min(length, RECURRENT_BUDGET / perStep));
            double[] uSteps = steps == length ? u : prefix(u, batch * channels, length, steps);
            Recurrence rec = layer.recurrent(batch);
            long r0 = System.nanoTime();
            double[] ySteps = rec.run(uSteps, steps);
            long r1 = System.nanoTime();
            double recErr = 0;
            for (int row = 0; row < batch * channels; row++) {
                for (int t = 0; t < steps; t++) {
                    recErr = Math.max(recErr, Math.abs(ySteps[row * steps + t] - y[row * length + t]));
                }
            }
            out.printf("  recurrent: %s steps over (B=%d, H=%d), %.3f us/step, max |y_step - y_conv| / max(1, max|y|) = %.2e%n",
                steps == length ? String.valueOf(length) : "the first " + steps + " of " + length, batch, channels,
                (r1 - r0) / 1e3 / steps, recErr / direct.yMax);
        }
    }

    /** The first {@code steps} positions of each of {@code rows} rows of length {@code length}. */
    private static double[] prefix(double[] a, int rows, int length, int steps) {
        double[] p = new double[rows * steps];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(a, row * length, p, row * steps, steps);
        }
        return p;
    }

    /** Errors of the direct check and what it covered ("" for everything, else ", checked at T of L positions ..."). */
    private record Direct(double yErr, double duErr, double yMax, String coverage) {
    }

    /**
     * {@code count} distinct indices in [0, n), evenly spaced and including 0 and n − 1 (all of them when
     * {@code count ≥ n}).
     */
    static int[] evenlySpaced(int count, int n) {
        int k = Math.min(count, n);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = k == 1 ? n - 1 : (int) ((long) i * (n - 1) / (k - 1));
        }
        return out;
    }

    /**
     * Errors of y and du against direct sums with the layer's own kernels, relative to max(1, max|ref|). The
     * direct sums cost about L multiply-adds per position (2L bidirectional); when all B·H·L positions would
     * exceed {@link #DIRECT_BUDGET}, up to 8 evenly spaced rows and, in each, evenly spaced positions (at
     * least 8, always the first and the last) within the budget are checked.
     */
    private Direct directErrors(double[] kf, double[] kb, double[] u, double[] gy, double[] y, double[] du) {
        int rowsAll = batch * channels;
        long perPosition = (long) (length + 1) * (kb != null ? 2 : 1);
        int[] rows;
        int[] positions;
        String coverage;
        if (MemoryCheck.times(rowsAll, length, perPosition) <= DIRECT_BUDGET) {
            rows = evenlySpaced(rowsAll, rowsAll);
            positions = evenlySpaced(length, length);
            coverage = "";
        } else {
            rows = evenlySpaced(8, rowsAll);
            long fit = DIRECT_BUDGET / ((long) rows.length * perPosition);
            positions = evenlySpaced((int) Math.max(8, Math.min(length, fit)), length);
            coverage = String.format(java.util.Locale.ROOT, ", checked at %d of %d positions in %d of %d rows to bound the work",
                positions.length, length, rows.length, rowsAll);
        }
        double yErr = 0;
        double duErr = 0;
        double yMax = 1;
        double duMax = 1;
        for (int row : rows) {
            int c = row % channels;
            int o = row * length;
            for (int tt : positions) {
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
        return new Direct(yErr / yMax, duErr / duMax, yMax, coverage);
    }
}
