package org.rtf4j.cli.study;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * Runs study cases: per case at least {@code warmup} untimed calls and 0.5 s, then {@code repetitions} timed calls
 * (System.nanoTime around one call), median and minimum; peak bytes from the backend after the calls.
 * RTF layers get stable random denominators and numerators (Montel init), so no case times the trivial
 * zero-init kernel.
 */
public final class StudyRunner {
    /** RTF with stable (Montel) denominators; the numerators are drawn at random below. */
    private static final LayerSpec.RtfOptions MONTEL = new LayerSpec.RtfOptions(0, RtfConfig.Constraint.NONE,
        RtfConfig.Init.MONTEL, RtfConfig.H0Init.NORMAL);
    private final java.util.function.Supplier<Backend> backends;
    private Backend backend;
    private final Precision precision;
    private final int warmup;
    private final int repetitions;
    private final PrintWriter log;

    /** A runner that opens a fresh backend per case (so each case's peak bytes are its own). */
    public StudyRunner(java.util.function.Supplier<Backend> backends, Precision precision, int warmup, int repetitions,
                       PrintWriter log) {
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up calls must be ≥ 0, got " + warmup);
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be ≥ 1, got " + repetitions);
        }
        this.backends = backends;
        this.precision = precision;
        this.warmup = warmup;
        this.repetitions = repetitions;
        this.log = log;
    }

    /** Runs every case in order, after a JIT warm-up of every kind and phase at a small shape (~2 s). */
    public List<StudyRecord> run(List<StudyCase> cases) {
        List<StudyRecord> out = new ArrayList<>();
        long until = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < until) {
            for (LayerKind k : LayerKind.values()) {
                for (StudyCase.Phase ph : StudyCase.Phase.values()) {
                    run(new StudyCase(k, false, 2, 16, 512, 16, ph));
                }
            }
        }
        int i = 0;
        for (StudyCase c : cases) {
            i++;
            StudyRecord r = run(c);
            out.add(r);
            log.printf("[%d/%d] %-4s %-3s B=%-2d H=%-4d L=%-6d N=%-5d %-16s median %9.3f ms  min %9.3f ms  peak %8.1f MiB%n",
                i, cases.size(), r.layer(), r.direction(), r.B(), r.H(), r.L(), r.N(), r.phase(), r.median_ms(), r.min_ms(),
                r.peak_bytes() / (double) (1 << 20));
            log.flush();
        }
        return out;
    }

    /**
     * Heap bytes of one case as {@link #measure} runs it: the float32 host arrays u, y and du (12 bytes a
     * signal element), the layer's host arrays ({@link SequenceLayers#hostBytes}) and, when the backend's
     * buffers are heap arrays (the JVM backend with {@code workers} threads), its buffers and workspace.
     */
    public static long bytesNeeded(StudyCase c, Precision precision, boolean heapBuffers, int workers) {
        LayerSpec spec = new LayerSpec(c.layer(), c.channels(), c.stateSize(), c.length(), c.bidirectional(), precision, 1);
        long bytes = MemoryCheck.plus(MemoryCheck.times(12, c.batch(), c.channels(), c.length()),
            SequenceLayers.hostBytes(spec));
        if (heapBuffers) {
            long n = JvmBackend.smoothFftLength(c.length());
            bytes = MemoryCheck.plus(bytes, SequenceLayers.bufferBytes(spec, c.batch(), c.length(), n),
                JvmBackend.workspaceBytes(workers, (long) c.batch() * c.channels(), n, precision));
        }
        return bytes;
    }

    private ConvolutionalLayer create(StudyCase c) {
        if (c.layer() == LayerKind.RTF) {
            RtfLayer layer = (RtfLayer) SequenceLayers.create(new LayerSpec(c.layer(), c.channels(), c.stateSize(), c.length(),
                c.bidirectional(), precision, 1, MONTEL), backend);
            SplittableRandom r = new SplittableRandom(2);
            double[] ab = layer.ab().value();
            for (int i = (c.bidirectional() ? 2 : 1) * c.channels() * c.stateSize(); i < ab.length; i++) {
                ab[i] = r.nextDouble(-1, 1) / Math.sqrt(c.stateSize());
            }
            return layer;
        }
        return (ConvolutionalLayer) SequenceLayers.create(new LayerSpec(c.layer(), c.channels(), c.stateSize(), c.length(),
            c.bidirectional(), precision, 1), backend);
    }

    private StudyRecord run(StudyCase c) {
        try (Backend be = backends.get()) {
            backend = be;
            return measure(c);
        } finally {
            backend = null;
        }
    }

    private StudyRecord measure(StudyCase c) {
        try (ConvolutionalLayer layer = create(c)) {
            int len = c.length();
            float[] u = new float[c.batch() * c.channels() * len];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) r.nextDouble(-1, 1);
            }
            float[] y = new float[u.length];
            float[] du = new float[u.length];
            Runnable call;
            switch (c.phase()) {
                case kernel:
                    call = () -> layer.kernelAndGradient(len);
                    break;
                case forward:
                    call = () -> layer.forward(u, c.batch(), len, y);
                    break;
                default:
                    call = () -> {
                        layer.forward(u, c.batch(), len, y);
                        layer.backward(u, du);
                    };
                    break;
            }
            // warm-up: at least `warmup` calls and at least half a second, so the JIT has compiled this shape's loops
            long warmUntil = System.nanoTime() + 500_000_000L;
            for (int i = 0; i < warmup || System.nanoTime() < warmUntil; i++) {
                call.run();
            }
            double[] t = new double[repetitions];
            for (int i = 0; i < repetitions; i++) {
                long t0 = System.nanoTime();
                call.run();
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            long peak = backend.liveBytes() + (c.phase() == StudyCase.Phase.kernel ? 0 : 3L * u.length * 4);
            long params = 0;
            for (Parameter p : layer.parameters()) {
                params += 16L * p.size();
            }
            double[] sorted = t.clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
            return new StudyRecord(c.layer().id(), c.bidirectional() ? "bi" : "uni", backend.name(), c.batch(), c.channels(),
                len, c.stateSize(), c.phase().name(), median, sorted[0], peak, params, repetitions);
        }
    }
}
