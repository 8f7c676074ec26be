package org.rtf4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.layer.SequenceLayer;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;

/** One recurrent step over (B, H): RTF companion O(N), S4D diagonal O(N), S4 linear O(N). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RecurrentBench {
    @Param({"rtf", "s4d", "s4"})
    public String kind;

    @Param({"64", "256"})
    public int state;

    @Param({"8"})
    public int batch;

    @Param({"128"})
    public int channels;

    private Backend be;
    private Recurrence rec;
    private double[] u;
    private double[] y;

    @Setup(Level.Trial)
    public void setUp() {
        be = Backends.open("jvm");
        LayerKind k = LayerKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        try (SequenceLayer layer = SequenceLayers.create(new LayerSpec(k, channels, state, Math.max(2 * state, 64), false,
            Precision.F64, 1), be)) {
            rec = layer.recurrent(batch);
        }
        u = new double[batch * channels];
        java.util.Arrays.fill(u, 0.5);
        y = new double[u.length];
        rec.step(u, y);
        for (double v : y) {
            if (!Double.isFinite(v)) {
                throw new IllegalStateException("non-finite recurrent output");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public double[] step() {
        rec.step(u, y);
        return y;
    }
}
