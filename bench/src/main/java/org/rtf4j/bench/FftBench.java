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
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * One complex float transform, ours vs JTransforms 3.1, both on one thread (below 2^16 JTransforms'
 * threads only slow it down on 2 cores). Ours is called as a user calls it, through a one-thread JVM
 * backend ({@code fftComplex} on a backend buffer, which picks the Stockham or the four-step transform by
 * length). Each call is a forward + inverse pair, so the in-place data stay bounded and no copy is timed
 * (JMH sample 38's trap); both are checked against each other once per trial.
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
    private JvmBackend be;
    private DeviceBuffer buf;
    private FloatFFT_1D jt;

    @Setup(Level.Trial)
    public void setUp() {
        ConcurrencyUtils.setNumberOfThreads(1);
        SplittableRandom r = new SplittableRandom(n);
        data = new float[2 * n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextDouble(-1, 1);
        }
        be = JvmBackend.withThreads(1);
        buf = be.allocate(Precision.F32, 2 * n);
        be.write(buf, 0, data, 0, 2 * n);
        jt = new FloatFFT_1D(n);
        be.fftComplex(n, 1, buf, false);
        float[] a = new float[2 * n];
        be.read(buf, 0, a, 0, 2 * n);
        be.write(buf, 0, data, 0, 2 * n);
        float[] b = data.clone();
        jt.complexForward(b);
        Validation.close("fft n=" + n + " vs JTransforms", a, b, 1e-5 * Math.log(n));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        buf.close();
        be.close();
        ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
    }

    @Benchmark
    public Object forwardInverse() {
        if (impl.equals("rtf4j")) {
            be.fftComplex(n, 1, buf, false);
            be.fftComplex(n, 1, buf, true);
            return buf;
        }
        jt.complexForward(data);
        jt.complexInverse(data, true);
        return data;
    }
}
