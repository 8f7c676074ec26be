package org.rtf4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.jvm.JvmExecutor;

/**
 * The channel-mixing GEMM at the models' shapes (issue 15): a linear layer H → 2H, H = 64, on (B, H, ℓ)
 * signals, sMNIST (B = 32, ℓ = 784: 25088 positions) and IMDB (B = 16, ℓ = 1024: 16384 positions), its three
 * products:
 * <ul>
 *   <li>{@code forward}: Y_b = W·X_b, m = 2H, n = ℓ, k = H per batch;</li>
 *   <li>{@code weightGradient}: G = Σ_b dY_b·X_bᵀ, m = 2H, n = H, k = ℓ, the batches summed;</li>
 *   <li>{@code inputGradient}: dX_b = Wᵀ·dY_b, m = H, n = ℓ, k = 2H per batch.</li>
 * </ul>
 * Each is 2·B·ℓ·H·2H flops (about 0.41 GFLOP for sMNIST, 0.27 for IMDB). {@link #kernel} times the JVM
 * backend's {@code gemm} (float32 and float64, 1 and 2 threads); {@link #today} times the float64 host path
 * {@code Linear} used before it ({@link HostGemmToday}: transposes and 4×4 dot-product tiles) on the same
 * shapes. Mode throughput: the score is calls per second, and the secondary result {@code gflop} is
 * GFLOP/s (JMH reports the counter per second). Each trial first checks 97 elements of one product against
 * direct float64 sums (outside the measured region).
 *
 * <p><b>This CPU's peak</b> (the 2-core AMD EPYC VM, family 25 (Zen 4), 2596 MHz as {@code /proc/cpuinfo}
 * reports; {@code lscpu} shows no clock here): AVX2 with two 256-bit FMA units per core is 16 float64 and
 * 32 float32 flops per cycle per core, so 2 × 16 × 2.596 = <b>83 GFLOP/s float64</b> and <b>166 GFLOP/s
 * float32</b> on both cores (41.5 and 83 on one). The CPU also has AVX-512, which Zen 4 executes as two
 * 256-bit halves: the same peak. Java does not fuse a multiply and an add (the kernel keeps the plain
 * loop's rounding), but Zen runs multiplies and adds on separate pipes, so the peak holds in principle.
 * Measure on a quiet machine only.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class GemmBench {

    /** The three products of a linear layer H → 2H at a model's (B, ℓ). */
    static final class Layer {
        final int batch;
        final int length;
        final int in = 64;
        final int out = 128;

        Layer(String model) {
            switch (model) {
                case "smnist" -> {
                    batch = 32;
                    length = 784;
                }
                case "imdb" -> {
                    batch = 16;
                    length = 1024;
                }
                default -> throw new IllegalArgumentException("model must be smnist or imdb, got " + model);
            }
        }

        GemmShape shape(String product) {
            int ell = length;
            return switch (product) {
                case "forward" -> GemmShape.of(false, false, out, ell, in).batched(batch, 0, in * ell, out * ell);
                case "weightGradient" -> GemmShape.of(false, true, out, in, ell).batched(batch, out * ell, in * ell, 0)
                    .scaled(1, 1);
                case "inputGradient" -> GemmShape.of(true, false, in, ell, out).batched(batch, 0, out * ell, in * ell);
                default -> throw new IllegalArgumentException("product must be forward, weightGradient or inputGradient, got "
                    + product);
            };
        }
    }

    /** GFLOP done, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rate {
        public double gflop;
    }

    /** The backend's kernel on buffers of the chosen precision. */
    @State(Scope.Benchmark)
    public static class Kernel {
        @Param({"smnist", "imdb"})
        public String model;

        @Param({"forward", "weightGradient", "inputGradient"})
        public String product;

        @Param({"F32", "F64"})
        public String precision;

        @Param({"1", "2"})
        public int threads;

        JvmBackend be;
        GemmShape shape;
        DeviceBuffer a;
        DeviceBuffer b;
        DeviceBuffer c;

        @Setup(Level.Trial)
        public void setUp() {
            shape = new Layer(model).shape(product);
            Precision p = Precision.valueOf(precision);
            be = JvmBackend.withThreads(threads);
            a = filled(be, p, shape.aLength(), 1);
            b = filled(be, p, shape.bLength(), 2);
            c = be.allocate(p, Math.toIntExact(shape.cLength()));
            be.gemm(shape, a, b, c);
            double[] got = new double[c.length()];
            be.read(c, 0, got, 0, got.length);
            be.zero(c);
            validate("kernel " + model + " " + product + " " + p, shape, read(be, a), read(be, b),
                new double[got.length], got, p == Precision.F32 ? 1e-5 : 1e-12);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            a.close();
            b.close();
            c.close();
            be.close();
        }
    }

    /** Today's float64 host path on arrays. */
    @State(Scope.Benchmark)
    public static class Today {
        @Param({"smnist", "imdb"})
        public String model;

        @Param({"forward", "weightGradient", "inputGradient"})
        public String product;

        @Param({"1", "2"})
        public int threads;

        Layer layer;
        JvmExecutor host;
        double[] w;
        double[] x;
        double[] y;
        double[] dw;
        long flops;

        @Setup(Level.Trial)
        public void setUp() {
            layer = new Layer(model);
            flops = layer.shape(product).flops();
            host = new JvmExecutor(threads);
            int positions = layer.batch * layer.length;
            w = random(layer.out * layer.in, 1);
            x = random(positions * layer.in, 2);
            y = random(positions * layer.out, 3);
            dw = new double[layer.out * layer.in];
            double[] xIn = x.clone();
            double[] yIn = y.clone();
            GemmShape shape = layer.shape(product);
            switch (product) {
                case "forward" -> {
                    HostGemmToday.forward(host, w, x, y, layer.batch, layer.in, layer.out, layer.length);
                    validate("today forward", shape, w, xIn, yIn, y, 1e-12);
                }
                case "weightGradient" -> {
                    HostGemmToday.weightGradient(host, y, x, dw, layer.batch, layer.in, layer.out, layer.length);
                    validate("today weightGradient", shape, yIn, xIn, new double[dw.length], dw, 1e-12);
                }
                default -> {
                    HostGemmToday.inputGradient(host, w, y, x, layer.batch, layer.in, layer.out, layer.length);
                    validate("today inputGradient", shape, w, yIn, xIn, x, 1e-12);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            host.close();
        }
    }

    static double[] read(JvmBackend be, DeviceBuffer d) {
        double[] v = new double[d.length()];
        be.read(d, 0, v, 0, v.length);
        return v;
    }

    /**
     * Checks 97 elements of C spread over every output against direct float64 sums: each within
     * {@code tol}·Σ|α·a·b| + |β·c| of the sum (the float32 error grows with the k·batch terms summed).
     */
    static void validate(String what, GemmShape s, double[] a, double[] b, double[] before, double[] after, double tol) {
        SplittableRandom r = new SplittableRandom(9);
        for (int e = 0; e < 97; e++) {
            int o = r.nextInt(s.outputs());
            int i = r.nextInt(s.m());
            int j = r.nextInt(s.n());
            int b0 = s.reducesBatches() ? 0 : o;
            int b1 = s.reducesBatches() ? s.batch() : o + 1;
            double sum = 0;
            double mag = 0;
            for (int bb = b0; bb < b1; bb++) {
                int ab = s.aOffset() + bb * s.strideA();
                int bbase = s.bOffset() + bb * s.strideB();
                for (int p = 0; p < s.k(); p++) {
                    double x = s.transA() ? a[ab + p * s.lda() + i] : a[ab + i * s.lda() + p];
                    double y = s.transB() ? b[bbase + j * s.ldb() + p] : b[bbase + p * s.ldb() + j];
                    sum += x * y;
                    mag += Math.abs(x * y);
                }
            }
            int at = s.cOffset() + o * s.strideC() + i * s.ldc() + j;
            double ref = s.alpha() * sum + s.beta() * before[at];
            double bound = tol * (Math.abs(s.alpha()) * mag + Math.abs(s.beta() * before[at])) + 1e-300;
            if (!(Math.abs(after[at] - ref) <= bound)) {
                throw new IllegalStateException(what + ": C[" + at + "] = " + after[at] + ", direct sum " + ref + ", bound "
                    + bound);
            }
        }
    }

    static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    static DeviceBuffer filled(JvmBackend be, Precision p, long length, long seed) {
        double[] v = random(Math.toIntExact(length), seed);
        DeviceBuffer d = be.allocate(p, v.length);
        be.write(d, 0, v, 0, v.length);
        return d;
    }

    @Benchmark
    public Object kernel(Kernel s, Rate rate) {
        s.be.gemm(s.shape, s.a, s.b, s.c);
        rate.gflop += s.shape.flops() * 1e-9;
        return s.c;
    }

    @Benchmark
    public Object today(Today s, Rate rate) {
        Layer l = s.layer;
        switch (s.product) {
            case "forward" -> HostGemmToday.forward(s.host, s.w, s.x, s.y, l.batch, l.in, l.out, l.length);
            case "weightGradient" -> HostGemmToday.weightGradient(s.host, s.y, s.x, s.dw, l.batch, l.in, l.out, l.length);
            default -> HostGemmToday.inputGradient(s.host, s.w, s.y, s.x, l.batch, l.in, l.out, l.length);
        }
        rate.gflop += s.flops * 1e-9;
        return s.y;
    }
}
