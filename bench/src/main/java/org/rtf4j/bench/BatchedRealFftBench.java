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
 * every row. With {@code padded} each row holds n/2 samples, zero-padded to n for the forward and
 * truncated to n/2 after the inverse, as the convolution runs them (L samples, transforms of 2L):
 * JTransforms, which has no such mode, gets each row copied into a zeroed n-array and back.
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

    @Param({"false", "true"})
    public boolean padded;

    private JvmBackend be;
    private DeviceBuffer in;
    private DeviceBuffer spec;
    private float[] host;
    private FloatFFT_1D jt;
    private float[] row;
    private int len;

    @Setup(Level.Trial)
    public void setUp() {
        ConcurrencyUtils.setNumberOfThreads(1);
        SplittableRandom r = new SplittableRandom(rows);
        len = padded ? n / 2 : n;
        host = new float[rows * len];
        row = new float[n];
        for (int i = 0; i < host.length; i++) {
            host[i] = (float) r.nextDouble(-1, 1);
        }
        be = JvmBackend.withThreads(threads);
        in = be.allocate(Precision.F32, rows * len);
        spec = be.allocate(Precision.F32, rows * 2 * (n / 2 + 1));
        be.write(in, 0, host, 0, host.length);
        jt = new FloatFFT_1D(n);
        be.fftRealForward(n, rows, in, len, len, spec);
        // row 0's spectrum against JTransforms' packed one (Re 0, Re n/2, then Re k, Im k)
        float[] ours = new float[n + 2];
        be.read(spec, 0, ours, 0, n + 2);
        float[] ref = new float[n];
        System.arraycopy(host, 0, ref, 0, len);
        jt.realForward(ref);
        float[] packed = new float[n];
        packed[0] = ours[0];
        packed[1] = ours[n];
        System.arraycopy(ours, 2, packed, 2, n - 2);
        Validation.close("row 0 spectrum vs JTransforms", packed, ref, 1e-5 * Math.sqrt(n));
        be.fftRealInverse(n, rows, spec, in, len, len);
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
            be.fftRealForward(n, rows, in, len, len, spec);
            be.fftRealInverse(n, rows, spec, in, len, len);
            return in;
        }
        if (!padded) {
            for (int r = 0; r < rows; r++) {
                jt.realForward(host, r * n);
                jt.realInverse(host, r * n, true);
            }
            return host;
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(host, r * len, row, 0, len);
            java.util.Arrays.fill(row, len, n, 0.0f);
            jt.realForward(row);
            jt.realInverse(row, true);
            System.arraycopy(row, 0, host, r * len, len);
        }
        return host;
    }
}
