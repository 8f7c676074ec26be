package org.rtf4j.cli;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One RTF layer at a default shape: forward, backward and a recurrent check, with wall times and the
 * largest error against direct O(ℓ²) sums in float64.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run an RTF layer forward + backward + recurrent check and compare with direct O(L^2) sums.")
final class DemoCommand implements Callable<Integer> {

    /** Compute backends this build offers. */
    enum BackendKind { jvm }

    @Spec
    CommandSpec spec;

    @Option(names = "--batch", description = "Batch size B (default: ${DEFAULT-VALUE}).")
    int batch = 4;

    @Option(names = "--channels", description = "Channels H (default: ${DEFAULT-VALUE}).")
    int channels = 32;

    @Option(names = "--state", description = "State size N (default: ${DEFAULT-VALUE}).")
    int state = 64;

    @Option(names = "--length", description = "Sequence and kernel length L (default: ${DEFAULT-VALUE}).")
    int length = 2048;

    @Option(names = "--num-a", description = "Distinct denominators numA (default: H).")
    Integer numA;

    @Option(names = "--bidirectional", description = "Two-sided layer.")
    boolean bidirectional;

    @Option(names = "--precision", description = "F32 or F64 (default: ${DEFAULT-VALUE}).")
    Precision precision = Precision.F32;

    @Option(names = "--backend", description = "Compute backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BackendKind backend = BackendKind.jvm;

    @Option(names = "--threads", description = "JVM backend threads (default: available processors).")
    Integer threads;

    @Option(names = "--repeats", description = "Timed repetitions after one warm-up (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats=" + repeats + " must be >= 1");
        }
        RtfConfig cfg = RtfConfig.builder(channels, state, length).numA(numA != null ? numA : channels)
            .bidirectional(bidirectional).init(RtfConfig.Init.MONTEL).h0Init(RtfConfig.H0Init.ONE)
            .precision(precision).seed(seed).build();
        long signal = (long) batch * channels * length;
        if (signal > 50_000_000L) {
            throw new IllegalArgumentException("B*H*L=" + signal + " exceeds the demo's limit 50,000,000");
        }
        try (JvmBackend be = JvmBackend.withThreads(t); RtfLayer layer = new RtfLayer(cfg, be)) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] ab = layer.ab().value();
            for (int i = cfg.directions() * cfg.numA() * state; i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1) / Math.sqrt(state);
            }
            // host arrays in float64; the layer rounds them to its precision
            double[] u = new double[(int) signal];
            double[] gy = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) r.nextDouble(-1, 1);
                gy[i] = (float) r.nextDouble(-1, 1);
            }
            double[] y = new double[u.length];
            double[] du = new double[u.length];
            out.printf("RTF layer %s%n", layer);
            out.printf("backend %s: %s%n", be.name(), be.deviceDescription());
            out.printf("shapes: u, y, du (B=%d, H=%d, L=%d); ab %s; h_0 %s; kernel FFT P=%d%n", batch, channels,
                length, java.util.Arrays.toString(layer.ab().shape()), java.util.Arrays.toString(layer.h0().shape()),
                cfg.rationalShape().fftLength());

            layer.forward(u, batch, length, y);
            layer.backward(gy, du);
            double fwd = Double.MAX_VALUE;
            double bwd = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                layer.forward(u, batch, length, y);
                long t1 = System.nanoTime();
                layer.zeroGrad();
                layer.backward(gy, du);
                long t2 = System.nanoTime();
                fwd = Math.min(fwd, (t1 - t0) / 1e6);
                bwd = Math.min(bwd, (t2 - t1) / 1e6);
            }
            out.printf("wall time (best of %d after a warm-up): forward %.2f ms, backward %.2f ms%n", repeats, fwd, bwd);

            // direct O(L^2) sums in float64 with the layer's kernels
            double[] kf = layer.kernel(0, length);
            double[] kb = bidirectional ? layer.kernel(1, length) : null;
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
            out.printf("max error vs direct O(L^2) convolution (max|diff| / max(1, max|ref|)): y %.2e, du %.2e%n",
                yErr / yMax, duErr / duMax);

            if (!bidirectional) {
                Recurrence rec = layer.recurrent(batch);
                double[] ut = new double[batch * channels];
                double[] yt = new double[batch * channels];
                double recErr = 0;
                long r0 = System.nanoTime();
                for (int tt = 0; tt < length; tt++) {
                    for (int i = 0; i < ut.length; i++) {
                        ut[i] = u[i * length + tt];
                    }
                    rec.step(ut, yt);
                    for (int i = 0; i < ut.length; i++) {
                        recErr = Math.max(recErr, Math.abs(yt[i] - y[i * length + tt]));
                    }
                }
                long r1 = System.nanoTime();
                out.printf("recurrent: %d steps over (B=%d, H=%d), %.3f us/step, max |y_step - y_conv| / max(1, max|y|) = %.2e%n",
                    length, batch, channels, (r1 - r0) / 1e3 / length, recErr / yMax);
            } else {
                out.println("recurrent: not available for a bidirectional layer");
            }
            out.flush();
        }
        return 0;
    }
}
