package org.rtf4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jtransforms.fft.FloatFFT_1D;
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
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FftF32;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * One complex float transform, ours vs JTransforms 3.1 (single-threaded: below 2^16 its threads only
 * slow it down on 2 cores). Each call is a forward + inverse pair, so the in-place data stay bounded and
 * no copy is timed (JMH sample 38's trap); both are checked against each other once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class FftBench {
    @Param({"1024", "4096", "16384", "65536"})
    public int n;

    @Param({"rtf4j", "jtransforms"})
    public String impl;

    private float[] data;
    private float[] scratch;
    private ComplexFftPlan plan;
    private FloatFFT_1D jt;

    @Setup(Level.Trial)
    public void setUp() {
        ConcurrencyUtils.setNumberOfThreads(1);
        SplittableRandom r = new SplittableRandom(n);
        data = new float[2 * n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble(-1, 1);
        }
        plan = ComplexFftPlan.of(n);
        scratch = new float[plan.scratchLength()];
        jt = new FloatFFT_1D(n);
        float[] a = data.clone();
        float[] b = data.clone();
        FftF32.forward(plan, a, 0, scratch, 0);
        jt.complexForward(b);
        Validation.close("fft n=" + n + " vs JTransforms", a, b, 1e-5 * Math.log(n));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
    }

    @Benchmark
    public float[] forwardInverse() {
        if (impl.equals("rtf4j")) {
            FftF32.forward(plan, data, 0, scratch, 0);
            FftF32.inverse(plan, data, 0, scratch, 0);
        } else {
            jt.complexForward(data);
            jt.complexInverse(data, true);
        }
        return data;
    }
}
