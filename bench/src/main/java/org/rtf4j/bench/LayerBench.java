package org.rtf4j.bench;

import java.util.SplittableRandom;
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
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.SequenceLayers;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * Layer forward, forward + backward and kernel generation + gradient, RTF vs S4D vs S4, on either
 * backend. State is per trial; the output is validated once per trial against direct O(L²) sums on one
 * row, outside the measured region.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-DuniqueLibraryNames=true"})
public class LayerBench {
    @Param({"rtf", "s4d", "s4"})
    public String kind;

    @Param({"false"})
    public boolean bidirectional;

    @Param({"jvm"})
    public String backend;

    @Param({"8"})
    public int batch;

    @Param({"128"})
    public int channels;

    @Param({"2048"})
    public int length;

    @Param({"64", "1024"})
    public int state;

    private Backend be;
    private ConvolutionalLayer layer;
    private float[] u;
    private float[] y;
    private float[] du;

    @Setup(Level.Trial)
    public void setUp() {
        LayerKind k = LayerKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        if (k != LayerKind.RTF && (long) channels * state * length > Backends.budget()) {
            throw new IllegalStateException("case over the budget H*N*L=" + ((long) channels * state * length)
                + " > " + Backends.budget() + " (-Drtf4j.bench.budget)");
        }
        be = Backends.open(backend);
        if (k == LayerKind.RTF) {
            RtfLayer r = (RtfLayer) SequenceLayers.create(new LayerSpec(k, channels, state, length, bidirectional,
                Precision.F32, 1, new LayerSpec.RtfOptions(0, RtfConfig.Constraint.NONE, RtfConfig.Init.MONTEL,
                    RtfConfig.H0Init.NORMAL)), be);
            SplittableRandom rnd = new SplittableRandom(2);
            double[] ab = r.ab().value();
            for (int i = (bidirectional ? 2 : 1) * channels * state; i < ab.length; i++) {
                ab[i] = rnd.nextDouble(-1, 1) / Math.sqrt(state);
            }
            layer = r;
        } else {
            layer = (ConvolutionalLayer) SequenceLayers.create(new LayerSpec(k, channels, state, length, bidirectional,
                Precision.F32, 1), be);
        }
        SplittableRandom rnd = new SplittableRandom(3);
        u = new float[batch * channels * length];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) rnd.nextDouble(-1, 1);
        }
        y = new float[u.length];
        du = new float[u.length];
        Validation.layerOutput(layer, u, batch, length, y);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        layer.close();
        be.close();
    }

    @Benchmark
    public float[] forward() {
        layer.forward(u, batch, length, y);
        return y;
    }

    @Benchmark
    public float[] forwardBackward() {
        layer.forward(u, batch, length, y);
        layer.backward(u, du);
        return du;
    }

    @Benchmark
    public ConvolutionalLayer kernelAndGradient() {
        layer.kernelAndGradient(length);
        return layer;
    }
}
