package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.dense.TokenGroups;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;
import org.rtf4j.kernels.testing.Host;

/**
 * After warm-up at a shape, no JVM kernel call allocates a single byte: every {@link KernelId}, both
 * precisions, several shapes (a Bluestein length, a bidirectional convolution, and two power-of-two FFT
 * lengths that used to evict each other from the plan cache), each kernel alone and all of them in turn.
 *
 * <p>Measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)} summed over the
 * calling thread (worker 0, where a one-thread backend runs every row) and, for the two-thread backend,
 * its worker thread too (found by its name, {@code rtf4j-jvm-1}). The cost of reading the counters
 * themselves is measured on a no-op and subtracted (0 bytes on JDK 17 and later). The bound is exactly
 * zero bytes in the best of a few rounds of calls (see {@link #allocatedBy}).
 */
class SteadyStateAllocationTest {
    private static final int WARM_UP = 200;
    private static final int CALLS = 100;
    private static final int ROUNDS = 5;
    private static com.sun.management.ThreadMXBean mx;

    /** Sizes of one case: convolution (B, H, L, bidirectional), RTF (numA, N), modal M. */
    record Sizes(int batch, int channels, int length, boolean bidirectional, int numA, int order, int modes) {
        @Override
        public String toString() {
            return "B=" + batch + " H=" + channels + " L=" + length + (bidirectional ? " bi" : "") + " numA=" + numA
                + " N=" + order + " M=" + modes;
        }
    }

    @BeforeAll
    static void enableCounters() {
        mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        if (!mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot measure thread allocation");
        }
        mx.setThreadAllocatedMemoryEnabled(true);
    }

    static List<Arguments> cases() {
        Sizes[] sizes = {
            new Sizes(2, 4, 100, false, 2, 8, 8),
            new Sizes(3, 8, 257, true, 4, 16, 5),
            new Sizes(2, 4, 256, false, 1, 4, 4),
            // powers of two from 2048: rows in pairs (FourStepPlan) and an odd one out
            new Sizes(3, 3, 2048, false, 1, 4, 4),
            new Sizes(2, 2, 4096, false, 1, 4, 2),
        };
        List<Arguments> out = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int threads : new int[] {1, 2}) {
                for (Sizes s : sizes) {
                    out.add(Arguments.of(p, threads, s));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {1} thread(s), {2}")
    @MethodSource("cases")
    void noKernelAllocatesPerCallInSteadyState(Precision p, int threads, Sizes z) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (JvmBackend be = JvmBackend.withThreads(threads)) {
            long[] ids = measuredThreads(before, threads);
            Map<KernelId, Runnable> calls = calls(be, p, z);
            assertEquals(EnumSet.allOf(KernelId.class), calls.keySet(), "every kernel has a call in this test");

            long overhead = allocatedBy(ids, () -> { });
            assertTrue(overhead >= 0 && overhead < 1024, "reading the counters costs " + overhead + " bytes");
            List<String> failures = new ArrayList<>();
            for (Map.Entry<KernelId, Runnable> e : calls.entrySet()) {
                long bytes = allocatedBy(ids, e.getValue()) - overhead;
                if (bytes != 0) {
                    failures.add(e.getKey() + ": " + bytes + " bytes in " + CALLS + " calls");
                }
            }
            Runnable[] all = calls.values().toArray(new Runnable[0]);
            long bytes = allocatedBy(ids, () -> {
                for (Runnable r : all) {
                    r.run();
                }
            }) - overhead;
            if (bytes != 0) {
                failures.add("all kernels in turn: " + bytes + " bytes in " + CALLS + " turns");
            }
            System.out.printf("steady-state allocation %s, %d thread(s), %s: %s%n", p, threads, z,
                failures.isEmpty() ? "0 bytes per call for every kernel" : failures);
            assertTrue(failures.isEmpty(), "per-call allocation after warm-up (best of " + ROUNDS + " rounds): " + failures);
        }
    }

    /** This thread's id, then the ids of the backend's worker threads created since {@code before}. */
    private static long[] measuredThreads(Set<Thread> before, int threads) {
        List<Thread> workers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().startsWith("rtf4j-jvm-")) {
                workers.add(t);
            }
        }
        assertEquals(threads - 1, workers.size(), "worker threads of the new backend: " + workers);
        long[] ids = new long[threads];
        ids[0] = Thread.currentThread().getId();
        for (int i = 1; i < threads; i++) {
            ids[i] = workers.get(i - 1).getId();
        }
        return ids;
    }

    /**
     * Bytes allocated by the measured threads during {@link #CALLS} runs of {@code call} after warm-up: the
     * least of {@link #ROUNDS} consecutive rounds. A per-call allocation shows in every round; what the least
     * leaves out are one-off events of the JIT (seen in a JVM's first seconds under tiered compilation,
     * a few hundred bytes once, never with {@code -Xint}).
     */
    private static long allocatedBy(long[] ids, Runnable call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long start = allocatedBytes(ids);
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            least = Math.min(least, allocatedBytes(ids) - start);
        }
        return least;
    }

    private static long allocatedBytes(long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += mx.getThreadAllocatedBytes(id);
        }
        return sum;
    }

    /** One valid call of every kernel at sizes {@code z}, on buffers allocated here once. */
    private static Map<KernelId, Runnable> calls(JvmBackend be, Precision p, Sizes z) {
        SplittableRandom r = new SplittableRandom(7);
        ConvShape cs = ConvShape.of(z.batch(), z.channels(), z.length(), z.bidirectional(), be);
        RationalShape rs = new RationalShape(z.numA(), z.channels(), z.order(), z.length());
        ModalShape ms = new ModalShape(z.channels(), z.modes(), z.length());
        int n = z.length();
        int rows = z.batch() * z.channels();
        int rbins = rs.bins();

        DeviceBuffer cplx = put(be, p, r, 2 * n * rows, 1);
        DeviceBuffer real = put(be, p, r, n * rows, 1);
        DeviceBuffer rspec = be.allocate(p, 2 * (n / 2 + 1) * rows);
        DeviceBuffer a = put(be, p, r, z.numA() * z.order(), 0.5 / z.order());
        DeviceBuffer b = put(be, p, r, z.channels() * z.order(), 1);
        DeviceBuffer h0 = put(be, p, r, z.channels(), 1);
        DeviceBuffer specA = be.allocate(p, 2 * rbins * z.numA());
        DeviceBuffer specB = be.allocate(p, 2 * rbins * z.channels());
        DeviceBuffer specK = be.allocate(p, 2 * rbins * z.channels());
        DeviceBuffer minMag = be.allocate(p, 2 * z.numA());
        DeviceBuffer margin = put(be, p, r, z.numA(), 0.5);
        DeviceBuffer gk = put(be, p, r, z.channels() * z.length(), 1);
        DeviceBuffer da = be.allocate(p, z.numA() * z.order());
        DeviceBuffer db = be.allocate(p, z.channels() * z.order());
        DeviceBuffer dh0 = be.allocate(p, z.channels());
        DeviceBuffer work = be.allocate(p, rs.backwardWorkLength());
        DeviceBuffer kf = put(be, p, r, cs.kernelLength(), 1);
        DeviceBuffer kb = z.bidirectional() ? put(be, p, r, cs.kernelLength(), 1) : null;
        DeviceBuffer u = put(be, p, r, cs.signalLength(), 1);
        DeviceBuffer y = be.allocate(p, cs.signalLength());
        DeviceBuffer kSpec = be.allocate(p, cs.kernelSpectrumLength());
        DeviceBuffer uSpec = be.allocate(p, cs.signalSpectrumLength());
        DeviceBuffer gy = put(be, p, r, cs.signalLength(), 1);
        DeviceBuffer du = be.allocate(p, cs.signalLength());
        DeviceBuffer dkf = be.allocate(p, cs.kernelLength());
        DeviceBuffer dkb = z.bidirectional() ? be.allocate(p, cs.kernelLength()) : null;
        double[] lz = new double[ms.modalLength()];
        for (int i = 0; i < lz.length; i += 2) {
            lz[i] = -r.nextDouble(1e-3, 0.1);
            lz[i + 1] = r.nextDouble(-3, 3);
        }
        DeviceBuffer logZ = Host.put(be, p, lz);
        DeviceBuffer chat = put(be, p, r, ms.modalLength(), 1);
        DeviceBuffer lag0 = put(be, p, r, z.channels(), 1);
        DeviceBuffer k = be.allocate(p, ms.kernelLength());
        DeviceBuffer mgk = put(be, p, r, ms.kernelLength(), 1);
        DeviceBuffer sums = be.allocate(p, ms.modalLength());
        DeviceBuffer weighted = be.allocate(p, ms.modalLength());
        DeviceBuffer lag0Grad = be.allocate(p, z.channels());
        double[] wv = new double[ms.modalLength()];
        for (int i = 0; i < wv.length; i += 2) {
            wv[i] = -r.nextDouble(0.1, 1);
            wv[i + 1] = r.nextDouble(-5, 5);
        }
        DeviceBuffer w = Host.put(be, p, wv);
        DeviceBuffer v = put(be, p, r, 4 * ms.modalLength(), 1);
        DeviceBuffer kHat = be.allocate(p, ms.spectrumLength());
        DeviceBuffer gSpec = put(be, p, r, ms.spectrumLength(), 1);
        DeviceBuffer gv = be.allocate(p, 4 * ms.modalLength());
        DeviceBuffer gw = be.allocate(p, ms.modalLength());
        DeviceBuffer gamma = be.allocate(p, z.channels());

        Map<KernelId, Runnable> calls = new EnumMap<>(KernelId.class);
        calls.put(KernelId.FFT_COMPLEX, () -> {
            be.fftComplex(n, rows, cplx, false);
            be.fftComplex(n, rows, cplx, true);
        });
        calls.put(KernelId.FFT_REAL_FORWARD, () -> be.fftRealForward(n, rows, real, n, n, rspec));
        calls.put(KernelId.FFT_REAL_INVERSE, () -> be.fftRealInverse(n, rows, rspec, real, n, n));
        calls.put(KernelId.RATIONAL_SPECTRUM, () -> be.rationalSpectrum(rs, a, margin, b, h0, specA, specB, specK, minMag));
        calls.put(KernelId.RATIONAL_SPECTRUM_BACKWARD,
            () -> be.rationalSpectrumBackward(rs, gk, z.length(), specA, specB, da, db, dh0, work));
        calls.put(KernelId.FFT_CONV, () -> be.fftConv(cs, kf, kb, u, y, kSpec, uSpec));
        calls.put(KernelId.FFT_CONV_BACKWARD, () -> be.fftConvBackward(cs, kSpec, uSpec, gy, du, dkf, dkb));
        calls.put(KernelId.VANDERMONDE, () -> be.vandermonde(ms, logZ, chat, lag0, k));
        calls.put(KernelId.VANDERMONDE_BACKWARD, () -> be.vandermondeBackward(ms, logZ, mgk, sums, weighted, lag0Grad));
        calls.put(KernelId.CAUCHY, () -> be.cauchy(ms, w, v, lag0, kHat));
        calls.put(KernelId.CAUCHY_BACKWARD, () -> be.cauchyBackward(ms, w, v, gSpec, gv, gw, gamma, lag0Grad));
        // a linear layer H → 2H over (B, H, L): forward, weight gradient (batches summed), input gradient
        int in = z.channels();
        int out = 2 * in;
        int ell = z.length();
        GemmShape fwd = GemmShape.of(false, false, out, ell, in).batched(z.batch(), 0, in * ell, out * ell);
        GemmShape wgrad = GemmShape.of(false, true, out, in, ell).batched(z.batch(), out * ell, in * ell, 0).scaled(1, 1);
        GemmShape xgrad = GemmShape.of(true, false, in, ell, out).batched(z.batch(), 0, out * ell, in * ell);
        DeviceBuffer lw = put(be, p, r, out * in, 1);
        DeviceBuffer lx = put(be, p, r, z.batch() * in * ell, 1);
        DeviceBuffer ly = be.allocate(p, z.batch() * out * ell);
        DeviceBuffer lgw = be.allocate(p, out * in);
        calls.put(KernelId.GEMM, () -> {
            be.gemm(fwd, lw, lx, ly);
            be.gemm(wgrad, ly, lx, lgw);
            be.gemm(xgrad, lw, ly, lx);
        });
        // the block's activations on (B, 2H, L): GELU and its backward, GLU to (B, H, L) and its backward
        ActivationShape act = new ActivationShape(z.batch(), 2 * z.channels(), ell);
        DeviceBuffer ax = put(be, p, r, act.count(), 3);
        DeviceBuffer ay = be.allocate(p, act.count());
        DeviceBuffer ag = put(be, p, r, act.gluOutputCount(), 1);
        DeviceBuffer ad = be.allocate(p, act.count());
        calls.put(KernelId.GELU, () -> be.gelu(act, ax, ay));
        calls.put(KernelId.GELU_BACKWARD, () -> be.geluBackward(act, ax, ay, ad));
        calls.put(KernelId.GLU, () -> be.glu(act, ax, ay));
        calls.put(KernelId.GLU_BACKWARD, () -> be.gluBackward(act, ax, ag, ad));
        // ---- optimiser and linear-algebra glue (issue 15): the bias of that layer, the residual, the weight's update
        BiasShape bs = new BiasShape(z.batch(), out, ell);
        DeviceBuffer bias = put(be, p, r, out, 1);
        DeviceBuffer optDb = be.allocate(p, out);
        calls.put(KernelId.BIAS_ADD, () -> be.biasAdd(bs, bias, ly, true));
        calls.put(KernelId.BIAS_GRAD, () -> be.biasGrad(bs, ly, optDb));
        AxpyShape res = AxpyShape.of(z.batch() * in * ell);
        DeviceBuffer rx = put(be, p, r, res.count(), 1);
        calls.put(KernelId.AXPY, () -> be.axpy(res, 1.0, rx, lx));
        Span weight = Span.of(out * in);
        DeviceBuffer partials = be.allocate(p, 1);
        DeviceBuffer optM = be.allocate(p, out * in);
        DeviceBuffer optV = be.allocate(p, out * in);
        calls.put(KernelId.SUM_SQUARES, () -> be.sumSquares(weight, lgw, partials, 0));
        AdamWStep st = AdamWStep.of(1e-3, 0.01, 0.9, 0.999, 1e-8, 3, 1.0);
        calls.put(KernelId.ADAMW, () -> be.adamW(weight, st, lw, lgw, optM, optV, partials, 1));
        // ---- ends of the model (issue 15): embedding (V = 7) to (B, H, L), mean pooling, losses over 5 classes
        EmbeddingShape es = new EmbeddingShape(z.batch(), ell, 7, z.channels());
        int[] tokens = new int[es.positions()];
        int[] targets = new int[es.positions()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(7);
            targets[i] = r.nextInt(-1, 5);
        }
        int[] lengths = new int[z.batch()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + r.nextInt(ell);
        }
        TokenGroups groups = TokenGroups.of(tokens, 7);
        org.rtf4j.kernels.backend.IndexBuffer tk = indices(be, tokens);
        org.rtf4j.kernels.backend.IndexBuffer order = indices(be, groups.order());
        org.rtf4j.kernels.backend.IndexBuffer starts = indices(be, groups.starts());
        org.rtf4j.kernels.backend.IndexBuffer tg = indices(be, targets);
        org.rtf4j.kernels.backend.IndexBuffer len = indices(be, lengths);
        DeviceBuffer table = put(be, p, r, es.tableCount(), 1);
        DeviceBuffer ex = be.allocate(p, es.outputCount());
        DeviceBuffer edy = put(be, p, r, es.outputCount(), 1e-3);
        PoolShape ps = new PoolShape(z.batch(), z.channels(), ell, PoolShape.Mode.MEAN);
        DeviceBuffer pooled = be.allocate(p, ps.outputCount());
        LossShape ls = new LossShape(z.batch(), 5, ell);
        DeviceBuffer logits = put(be, p, r, ls.count(), 3);
        DeviceBuffer lt = put(be, p, r, ls.count(), 3);
        DeviceBuffer lg = be.allocate(p, ls.count());
        DeviceBuffer scalars = be.allocate(p, LossShape.SCALARS);
        calls.put(KernelId.EMBEDDING, () -> be.embedding(es, tk, table, ex));
        calls.put(KernelId.EMBEDDING_BACKWARD, () -> be.embeddingBackward(es, order, starts, edy, table));
        calls.put(KernelId.POOL, () -> be.pool(ps, len, ex, pooled));
        calls.put(KernelId.POOL_BACKWARD, () -> be.poolBackward(ps, len, pooled, ex));
        calls.put(KernelId.CROSS_ENTROPY, () -> be.crossEntropy(ls, logits, tg, 0.01, lg, scalars, 0));
        calls.put(KernelId.MSE, () -> be.mse(ls, logits, lt, len, 0.01, lg, scalars, 0));
        // ---- normalisation and dropout (issue 15), on (B, H, L) with padding
        org.rtf4j.kernels.dense.NormShape ns = new org.rtf4j.kernels.dense.NormShape(z.batch(), z.channels(), ell);
        org.rtf4j.kernels.backend.IndexBuffer nlengths = be.allocateIndices(z.batch());
        int[] lv = new int[z.batch()];
        for (int i = 0; i < lv.length; i++) {
            lv[i] = Math.max(1, ell - 3 * i);
        }
        be.writeIndices(nlengths, 0, lv, 0, lv.length);
        DeviceBuffer nx = put(be, p, r, ns.count(), 1);
        DeviceBuffer ny = be.allocate(p, ns.count());
        DeviceBuffer ndy = put(be, p, r, ns.count(), 1);
        DeviceBuffer ndx = be.allocate(p, ns.count());
        DeviceBuffer ng = put(be, p, r, z.channels(), 1);
        DeviceBuffer nb = put(be, p, r, z.channels(), 1);
        DeviceBuffer nm = be.allocate(p, ns.positions());
        DeviceBuffer ni = be.allocate(p, ns.positions());
        DeviceBuffer ndg = be.allocate(p, z.channels());
        DeviceBuffer ndb = be.allocate(p, z.channels());
        DeviceBuffer rm = be.allocate(p, z.channels());
        DeviceBuffer rv = put(be, p, r, z.channels(), 1);
        org.rtf4j.kernels.dense.DropoutShape drop = new org.rtf4j.kernels.dense.DropoutShape(z.batch(), z.channels(), ell, 0.1,
            false, 1, 2, 3);
        org.rtf4j.kernels.dense.DropoutShape tied = drop.withTied();
        calls.put(KernelId.LAYER_NORM, () -> be.layerNorm(ns, nx, ng, nb, ny, nm, ni));
        calls.put(KernelId.LAYER_NORM_BACKWARD, () -> be.layerNormBackward(ns, nx, ng, nm, ni, ndy, ndx, ndg, ndb));
        calls.put(KernelId.BATCH_NORM, () -> {
            be.batchNorm(ns, true, nx, nlengths, ng, nb, rm, rv, ny, nm, ni);
            be.batchNorm(ns, false, nx, null, ng, nb, rm, rv, ny, nm, ni);
        });
        calls.put(KernelId.BATCH_NORM_BACKWARD, () -> be.batchNormBackward(ns, true, nx, nlengths, ng, nm, ni, ndy, ndx, ndg,
            ndb));
        calls.put(KernelId.DROPOUT, () -> {
            be.dropout(drop, nx, ny);
            be.dropout(tied, nx, ny);
        });
        calls.put(KernelId.DROPOUT_BACKWARD, () -> be.dropoutBackward(drop, ndy, ndx));
        calls.put(KernelId.MASK_PADDING, () -> be.maskPadding(ns, nlengths, ndx));
        return calls;
    }

    private static org.rtf4j.kernels.backend.IndexBuffer indices(JvmBackend be, int[] v) {
        org.rtf4j.kernels.backend.IndexBuffer b = be.allocateIndices(v.length);
        be.writeIndices(b, 0, v, 0, v.length);
        return b;
    }

    private static DeviceBuffer put(JvmBackend be, Precision p, SplittableRandom r, int length, double scale) {
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = scale * r.nextDouble(-1, 1);
        }
        return Host.put(be, p, x);
    }
}
