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
 * The batched real transforms the convolution runs (rows ≥ 64): our backend's rfft + irfft over all
 * rows (threads = the {@code threads} parameter, 1 by default so the comparison is like for like) against
 * JTransforms' realForward + realInverse looped over the same rows on one thread (FloatFFT_1D per row, as
 * a convolution would call it). Both sides do the same work: a forward and an inverse real transform of
 * every row.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class BatchedRealFftBench {
    @Param({"1024", "4096"})
    public int n;

    @Param({"64", "256"})
    public int rows;

    @Param({"rtf4j", "jtransforms"})
    public String impl;

    @Param({"1"})
    public int threads;

    private JvmBackend be;
    private DeviceBuffer in;
    private DeviceBuffer spec;
    private float[] host;
    private FloatFFT_1D jt;

    @Setup(Level.Trial)
    public void setUp() {
        ConcurrencyUtils.setNumberOfThreads(1);
        SplittableRandom r = new SplittableRandom(rows);
        host = new float[rows * n];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) r.nextDouble(-1, 1);
        }
        be = JvmBackend.withThreads(threads);
        in = be.allocate(Precision.F32, rows * n);
        spec = be.allocate(Precision.F32, rows * 2 * (n / 2 + 1));
        be.write(in, 0, host, 0, host.length);
        jt = new FloatFFT_1D(n);
        be.fftRealForward(n, rows, in, n, n, spec);
        be.fftRealInverse(n, rows, spec, in, n, n);
        float[] back = new float[host.length];
        be.read(in, 0, back, 0, back.length);
        Validation.close("batched rfft/irfft round trip", back, host, 1e-5);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        in.close();
        spec.close();
        be.close();
        ConcurrencyUtils.shutdownThreadPoolAndAwaitTermination();
    }

    @Benchmark
    public Object forwardInverse() {
        if (impl.equals("rtf4j")) {
            be.fftRealForward(n, rows, in, n, n, spec);
            be.fftRealInverse(n, rows, spec, in, n, n);
            return in;
        }
        for (int row = 0; row < rows; row++) {
            jt.realForward(host, row * n);
            jt.realInverse(host, row * n, true);
        }
        return host;
    }
}
