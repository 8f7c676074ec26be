package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.AbstractBackend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.PendingRead;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FourStepPlan;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The plain-Java backend: buffers are heap arrays, kernels are the {@code JvmKernelsF64}/{@code F32}
 * drivers spread over an explicit {@link JvmExecutor}. Per-worker scratch and the kernels' reusable loop
 * tasks are owned by this instance, so after the first call at a shape a kernel call allocates nothing.
 * With {@link #setProfiling} on, every kernel call is timed (wall clock around the call, which is
 * synchronous here) into {@link #profiler()}, the same kernel-level profile the OpenCL backend keeps.
 *
 * <p>Accuracy (error against float64 on the same inputs, relative to the largest output): float64 about
 * 1e-13; float32 FFTs, convolutions and rational spectra within 2e-6·log2 n (values) and 2e-5·log2 n
 * (gradients); float32 Vandermonde ≤ 5e-6 at any L (float64 anchors every
 * {@link org.rtf4j.kernels.spectral.ModalShape#VANDERMONDE_BLOCK} lags); float32 Cauchy ≤ 1e-3, set by
 * the conditioning of its nodes; GEMM ({@code JvmGemmF64}) bit-identical to a plain loop in the buffer's
 * precision on any thread count; GLU bit-identical to the host model's float64 formulas, GELU within
 * 4·2⁻⁵²·|x| of the textbook tanh form (see {@code Backend.gelu}); the optimiser glue ({@code JvmOptimF64}:
 * bias add and gradient, axpy, squared norms, AdamW) as stated per method in {@code Backend}, its sums in one
 * blocked order, bit-identical on any thread count. OpenCL's accuracy per device kind is
 * 4·2⁻⁵²·|x| of the textbook tanh form (see {@code Backend.gelu}); LayerNorm's float64 forward bit-identical to
 * the host model's formulas, the other norms within 1e-12 of them, and every norm bit-identical on any thread
 * count ({@code JvmNormsF64}). OpenCL's accuracy per device kind is
 * 4·2⁻⁵²·|x| of the textbook tanh form (see {@code Backend.gelu}); the embedding and its scatter-add exact
 * (additions in the grouping's order), the pooled mean and the loss sums in {@code LossShape}'s pairwise order
 * on any thread count ({@code JvmEndsF64}). OpenCL's accuracy per device kind is
 * stated in {@code OpenClBackend}.
 */
public final class JvmBackend extends AbstractBackend<JvmBuffer, JvmIndexBuffer> {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");

    private final JvmExecutor executor;
    private final boolean ownsExecutor;
    private final JvmScratch scratch;
    private final JvmKernelsF64 kernelsF64;
    private final JvmKernelsF32 kernelsF32;
    private final JvmModalKernelsF64 modalF64;
    private final JvmModalKernelsF32 modalF32;
    private final JvmGemmF64 gemmF64;
    private final JvmGemmF32 gemmF32;
    private final JvmActivationsF64 activationsF64 = new JvmActivationsF64();
    private final JvmActivationsF32 activationsF32 = new JvmActivationsF32();
    // ---- optimiser and linear-algebra glue (issue 15)
    private final JvmOptimF64 optimF64;
    private final JvmOptimF32 optimF32;
    // ---- normalisation and dropout (issue 15)
    private final JvmNormsF64 normsF64;
    private final JvmNormsF32 normsF32;
    // ---- ends of the model: embedding, pooling, losses (issue 15)
    private final JvmEndsF64 endsF64;
    private final JvmEndsF32 endsF32;
    private final java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
    private final Profiler profiler = new Profiler();
    private volatile boolean profiling;
    private boolean closed;

    /**
     * A backend on an executor owned by the caller (not closed by {@link #close()}).
     */
    public JvmBackend(JvmExecutor executor) {
        this(executor, false);
    }

    private JvmBackend(JvmExecutor executor, boolean owns) {
        this(executor, owns, true);
    }

    private JvmBackend(JvmExecutor executor, boolean owns, boolean log) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        this.executor = executor;
        this.ownsExecutor = owns;
        this.scratch = new JvmScratch(executor.threads());
        this.kernelsF64 = new JvmKernelsF64(executor, scratch);
        this.kernelsF32 = new JvmKernelsF32(executor, scratch);
        this.modalF64 = new JvmModalKernelsF64(executor, scratch);
        this.modalF32 = new JvmModalKernelsF32(executor, scratch);
        this.gemmF64 = new JvmGemmF64(executor.threads());
        this.gemmF32 = new JvmGemmF32(executor.threads());
        this.optimF64 = new JvmOptimF64(executor.threads());
        this.optimF32 = new JvmOptimF32(executor.threads());
        this.normsF64 = new JvmNormsF64(executor.threads());
        this.normsF32 = new JvmNormsF32(executor.threads());
        this.endsF64 = new JvmEndsF64(executor.threads());
        this.endsF32 = new JvmEndsF32(executor.threads());
        if (log) {
            LOG.log(System.Logger.Level.INFO, "backend jvm: " + deviceDescription());
        }
    }

    /**
     * A one-thread backend for small float64 host computations inside a layer (e.g. recurrent
     * coefficients). It is not the compute backend the user chose, so its creation is not logged.
     */
    public static JvmBackend forHostComputation() {
        return new JvmBackend(new JvmExecutor(1), true, false);
    }

    /** A backend with its own executor of {@code threads} workers, closed with the backend. */
    public static JvmBackend withThreads(int threads) {
        return new JvmBackend(new JvmExecutor(threads), true);
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public boolean buffersOnHeap() {
        return true;
    }

    @Override
    public int hostWorkers() {
        return executor.threads();
    }

    @Override
    public String deviceDescription() {
        return "JVM " + System.getProperty("java.version") + ", " + executor.threads() + " thread(s)";
    }

    /** Stockham for every 7-smooth n (power-of-two or mixed radices), Bluestein otherwise: the plans' choice. */
    @Override
    public ComplexFftPlan.Algorithm fftAlgorithm(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        if (!ComplexFftPlan.isSmooth(n)) {
            return ComplexFftPlan.Algorithm.BLUESTEIN;
        }
        return Integer.bitCount(n) == 1 ? ComplexFftPlan.Algorithm.STOCKHAM_POW2 : ComplexFftPlan.Algorithm.STOCKHAM_MIXED;
    }

    /** {@link #smoothFftLength}: its real transform runs a 7-smooth complex one of n/2, never Bluestein. */
    @Override
    public long convolutionFftLength(long length) {
        return smoothFftLength(length);
    }

    /**
     * The JVM's convolution FFT length for input length ℓ ≥ 1: the smallest even 7-smooth n ≥ 2ℓ (the
     * reference's odd 2ℓ − 1 would be a Bluestein length for ℓ = 1047, say). Static so that the heap
     * estimates made before a backend exists ({@link #workspaceBytes} and the layers' buffer estimates) use
     * the rule {@link #convolutionFftLength} uses. Above {@link ConvShape#MAX_LENGTH} it is 2ℓ (saturating), a lower
     * bound (such a shape is refused anyway).
     *
     * @throws IllegalArgumentException when {@code length < 1}
     */
    public static long smoothFftLength(long length) {
        if (length < 1) {
            throw new IllegalArgumentException("input length ℓ must be ≥ 1, got " + length);
        }
        return length <= ConvShape.MAX_LENGTH ? ComplexFftPlan.nextSmooth((int) (2 * length), 2)
            : MemoryCheck.times(2, length);
    }

    /**
     * Times every kernel call from now on (off by default; a timed call allocates one small record). The
     * {@link Profiler} names each entry by {@link KernelId#kernelName()} with kind KERNEL.
     */
    public void setProfiling(boolean on) {
        profiling = on;
    }

    /** The kernel-level profile recorded while {@link #setProfiling profiling} was on. */
    @Override
    public Profiler profiler() {
        return profiler;
    }

    private long tic() {
        return profiling ? System.nanoTime() : 0L;
    }

    private void toc(KernelId id, long t0) {
        // t0 == 0: profiling was switched on during the call, which is then not counted
        if (profiling && t0 != 0L) {
            long t1 = System.nanoTime();
            profiler.record(new ProfileRecord("KERNEL", id.kernelName(), id.kernelName(), t0, t0, t0, t1, 0));
        }
    }

    /** The executor the kernels run on. */
    public JvmExecutor executor() {
        return executor;
    }

    @Override
    public DeviceBuffer allocate(Precision precision, int length) {
        open();
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        return new JvmBuffer(precision, length, live);
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length) {
        JvmBuffer d = own(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", src.length, srcOffset, length);
        if (d.precision() == Precision.F64) {
            System.arraycopy(src, srcOffset, d.f64(), dstOffset, length);
        } else if (length >= PARALLEL_TRANSFER) {
            transfer.run(HostTransfer.ROUND, src, srcOffset, d.f32(), dstOffset, null, length);
        } else {
            float[] f = d.f32();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = (float) src[srcOffset + i];
            }
        }
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length) {
        JvmBuffer d = own(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", src.length, srcOffset, length);
        if (d.precision() == Precision.F32) {
            System.arraycopy(src, srcOffset, d.f32(), dstOffset, length);
        } else {
            double[] f = d.f64();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = src[srcOffset + i];
            }
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        if (s.precision() == Precision.F64) {
            System.arraycopy(s.f64(), srcOffset, dst, dstOffset, length);
        } else {
            float[] f = s.f32();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = f[srcOffset + i];
            }
        }
    }

    @Override
    public void readAdd(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        if (dst == null) {
            throw new IllegalArgumentException("dst must not be null");
        }
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        if (length >= PARALLEL_TRANSFER) {
            if (s.precision() == Precision.F64) {
                transfer.run(HostTransfer.ADD_F64, dst, dstOffset, null, srcOffset, s.f64(), length);
            } else {
                transfer.run(HostTransfer.ADD_F32, dst, dstOffset, s.f32(), srcOffset, null, length);
            }
        } else if (s.precision() == Precision.F64) {
            double[] f = s.f64();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] += f[srcOffset + i];
            }
        } else {
            float[] f = s.f32();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] += f[srcOffset + i];
            }
        }
    }

    /** Copies (or adds) at once: the JVM backend's calls are synchronous. */
    @Override
    protected PendingRead startRead(JvmBuffer src, int srcOffset, double[] dst, int dstOffset, int length, boolean add) {
        if (add) {
            readAdd(src, srcOffset, dst, dstOffset, length);
        } else {
            read(src, srcOffset, dst, dstOffset, length);
        }
        return PendingRead.DONE;
    }

    /**
     * Host transfers that convert or accumulate (float64 parameters into float32 buffers, gradients added
     * into float64 arrays) run on every worker from this many elements: these passes are as long as the
     * parameters (H·N numbers for RTF), the part of RTF's host work that grows with N.
     */
    static final int PARALLEL_TRANSFER = 1 << 16;

    private final HostTransfer transfer = new HostTransfer();

    /** The element loops of {@link #write} (rounding) and {@link #readAdd}, split into chunks over the workers. */
    private final class HostTransfer extends KernelTask {
        static final int ROUND = 0;
        static final int ADD_F32 = 1;
        static final int ADD_F64 = 2;
        private static final int CHUNK = 1 << 14;
        private int mode;
        private double[] d;
        private int dOff;
        private float[] f;
        private int oOff;
        private double[] d2;
        private int len;

        /** ROUND: f[oOff + i] = (float) d[dOff + i]; ADD_F32: d[dOff + i] += f[oOff + i]; ADD_F64: with d2. */
        synchronized void run(int mode, double[] d, int dOff, float[] f, int oOff, double[] d2, int len) {
            this.mode = mode;
            this.d = d;
            this.dOff = dOff;
            this.f = f;
            this.oOff = oOff;
            this.d2 = d2;
            this.len = len;
            call(executor);
        }

        @Override
        int rowCount(int phase) {
            return (len + CHUNK - 1) / CHUNK;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int a = from * CHUNK;
            int b = Math.min(len, to * CHUNK);
            if (mode == ROUND) {
                for (int i = a; i < b; i++) {
                    f[oOff + i] = (float) d[dOff + i];
                }
            } else if (mode == ADD_F32) {
                for (int i = a; i < b; i++) {
                    d[dOff + i] += f[oOff + i];
                }
            } else {
                for (int i = a; i < b; i++) {
                    d[dOff + i] += d2[oOff + i];
                }
            }
        }

        @Override
        void clear() {
            d = null;
            f = null;
            d2 = null;
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        if (s.precision() == Precision.F32) {
            System.arraycopy(s.f32(), srcOffset, dst, dstOffset, length);
        } else {
            double[] f = s.f64();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) f[srcOffset + i];
            }
        }
    }

    @Override
    public IndexBuffer allocateIndices(int length) {
        open();
        return new JvmIndexBuffer(length, live);
    }

    @Override
    public void writeIndices(IndexBuffer dst, int dstOffset, int[] src, int srcOffset, int length) {
        JvmIndexBuffer d = ownIndices(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", hostLength("src", src), srcOffset, length);
        System.arraycopy(src, srcOffset, d.values(), dstOffset, length);
    }

    @Override
    public void readIndices(IndexBuffer src, int srcOffset, int[] dst, int dstOffset, int length) {
        JvmIndexBuffer s = ownIndices(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", hostLength("dst", dst), dstOffset, length);
        System.arraycopy(s.values(), srcOffset, dst, dstOffset, length);
    }

    @Override
    public void zero(DeviceBuffer buffer) {
        JvmBuffer b = own(buffer, "buffer");
        if (b.precision() == Precision.F64) {
            java.util.Arrays.fill(b.f64(), 0.0);
        } else {
            java.util.Arrays.fill(b.f32(), 0.0f);
        }
    }

    @Override
    protected void runFftComplex(int n, int rows, JvmBuffer d, boolean inverse) {
        long t0 = tic();
        if (d.precision() == Precision.F64) {
            kernelsF64.fftComplex(n, rows, d.f64(), inverse);
        } else {
            kernelsF32.fftComplex(n, rows, d.f32(), inverse);
        }
        toc(KernelId.FFT_COMPLEX, t0);
    }

    @Override
    protected void runFftRealForward(int n, int rows, JvmBuffer i, int inStride, int inLength, JvmBuffer o) {
        long t0 = tic();
        if (i.precision() == Precision.F64) {
            kernelsF64.fftRealForward(n, rows, i.f64(), inStride, inLength, o.f64());
        } else {
            kernelsF32.fftRealForward(n, rows, i.f32(), inStride, inLength, o.f32());
        }
        toc(KernelId.FFT_REAL_FORWARD, t0);
    }

    @Override
    protected void runFftRealInverse(int n, int rows, JvmBuffer i, JvmBuffer o, int outStride, int outLength) {
        long t0 = tic();
        if (i.precision() == Precision.F64) {
            kernelsF64.fftRealInverse(n, rows, i.f64(), o.f64(), outStride, outLength);
        } else {
            kernelsF32.fftRealInverse(n, rows, i.f32(), o.f32(), outStride, outLength);
        }
        toc(KernelId.FFT_REAL_INVERSE, t0);
    }

    @Override
    protected void runRationalSpectrum(RationalShape shape, JvmBuffer a, JvmBuffer margin, JvmBuffer b, JvmBuffer h0,
                                       JvmBuffer specA, JvmBuffer specB, JvmBuffer specK, JvmBuffer minMag) {
        long t0 = tic();
        if (a.precision() == Precision.F64) {
            kernelsF64.rationalSpectrum(shape, a.f64(), margin.f64(), b.f64(), h0.f64(), specA.f64(), specB.f64(),
                specK.f64(), minMag.f64());
        } else {
            kernelsF32.rationalSpectrum(shape, a.f32(), margin.f32(), b.f32(), h0.f32(), specA.f32(), specB.f32(),
                specK.f32(), minMag.f32());
        }
        toc(KernelId.RATIONAL_SPECTRUM, t0);
    }

    @Override
    protected void runRationalSpectrumBackward(RationalShape shape, JvmBuffer gk, int ell, JvmBuffer specA,
                                               JvmBuffer specB, JvmBuffer da, JvmBuffer db, JvmBuffer dh0, JvmBuffer work) {
        long t0 = tic();
        if (gk.precision() == Precision.F64) {
            kernelsF64.rationalSpectrumBackward(shape, gk.f64(), ell, specA.f64(), specB.f64(),
                da.f64(), db.f64(), dh0.f64(), work.f64());
        } else {
            kernelsF32.rationalSpectrumBackward(shape, gk.f32(), ell, specA.f32(), specB.f32(),
                da.f32(), db.f32(), dh0.f32(), work.f32());
        }
        toc(KernelId.RATIONAL_SPECTRUM_BACKWARD, t0);
    }

    @Override
    protected void runFftConv(ConvShape shape, JvmBuffer kf, JvmBuffer kb, JvmBuffer u, JvmBuffer y, JvmBuffer kSpec,
                              JvmBuffer uSpec) {
        long t0 = tic();
        if (u.precision() == Precision.F64) {
            kernelsF64.fftConv(shape, kf.f64(), kb == null ? null : kb.f64(), u.f64(), y.f64(),
                kSpec.f64(), uSpec.f64());
        } else {
            kernelsF32.fftConv(shape, kf.f32(), kb == null ? null : kb.f32(), u.f32(), y.f32(),
                kSpec.f32(), uSpec.f32());
        }
        toc(KernelId.FFT_CONV, t0);
    }

    @Override
    protected void runFftConvBackward(ConvShape shape, JvmBuffer kSpec, JvmBuffer uSpec, JvmBuffer gy, JvmBuffer du,
                                      JvmBuffer dkf, JvmBuffer dkb) {
        long t0 = tic();
        if (gy.precision() == Precision.F64) {
            kernelsF64.fftConvBackward(shape, kSpec.f64(), uSpec.f64(), gy.f64(), du.f64(), dkf.f64(),
                dkb == null ? null : dkb.f64());
        } else {
            kernelsF32.fftConvBackward(shape, kSpec.f32(), uSpec.f32(), gy.f32(), du.f32(), dkf.f32(),
                dkb == null ? null : dkb.f32());
        }
        toc(KernelId.FFT_CONV_BACKWARD, t0);
    }

    @Override
    protected void runVandermonde(ModalShape shape, JvmBuffer logZ, JvmBuffer chat, JvmBuffer lag0, JvmBuffer k) {
        long t0 = tic();
        if (k.precision() == Precision.F64) {
            modalF64.vandermonde(shape, logZ.f64(), chat.f64(), lag0 == null ? null : lag0.f64(),
                k.f64());
        } else {
            modalF32.vandermonde(shape, logZ.f32(), chat.f32(), lag0 == null ? null : lag0.f32(),
                k.f32());
        }
        toc(KernelId.VANDERMONDE, t0);
    }

    @Override
    protected void runVandermondeBackward(ModalShape shape, JvmBuffer logZ, JvmBuffer gk, JvmBuffer sums,
                                          JvmBuffer weighted, JvmBuffer lag0Grad) {
        long t0 = tic();
        if (gk.precision() == Precision.F64) {
            modalF64.vandermondeBackward(shape, logZ.f64(), gk.f64(), sums.f64(), weighted.f64(),
                lag0Grad.f64());
        } else {
            modalF32.vandermondeBackward(shape, logZ.f32(), gk.f32(), sums.f32(), weighted.f32(),
                lag0Grad.f32());
        }
        toc(KernelId.VANDERMONDE_BACKWARD, t0);
    }

    @Override
    protected void runCauchy(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer lag0, JvmBuffer kHat) {
        long t0 = tic();
        if (kHat.precision() == Precision.F64) {
            modalF64.cauchy(shape, w.f64(), v.f64(), lag0 == null ? null : lag0.f64(), kHat.f64());
        } else {
            modalF32.cauchy(shape, w.f32(), v.f32(), lag0 == null ? null : lag0.f32(), kHat.f32());
        }
        toc(KernelId.CAUCHY, t0);
    }

    @Override
    protected void runCauchyBackward(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer gs, JvmBuffer gv, JvmBuffer gw,
                                     JvmBuffer gamma, JvmBuffer lag0Grad) {
        long t0 = tic();
        if (gs.precision() == Precision.F64) {
            modalF64.cauchyBackward(shape, w.f64(), v.f64(), gs.f64(), gv.f64(), gw.f64(),
                gamma.f64(), lag0Grad.f64());
        } else {
            modalF32.cauchyBackward(shape, w.f32(), v.f32(), gs.f32(), gv.f32(), gw.f32(),
                gamma.f32(), lag0Grad.f32());
        }
        toc(KernelId.CAUCHY_BACKWARD, t0);
    }

    @Override
    protected void runGemm(GemmShape shape, JvmBuffer a, JvmBuffer b, JvmBuffer c) {
        long t0 = tic();
        if (c.precision() == Precision.F64) {
            gemmF64.gemm(executor, shape, a.f64(), b.f64(), c.f64());
        } else {
            gemmF32.gemm(executor, shape, a.f32(), b.f32(), c.f32());
        }
        toc(KernelId.GEMM, t0);
    }

    @Override
    protected void runGelu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            activationsF64.gelu(executor, shape, x.f64(), y.f64());
        } else {
            activationsF32.gelu(executor, shape, x.f32(), y.f32());
        }
        toc(KernelId.GELU, t0);
    }

    @Override
    protected void runGeluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            activationsF64.geluBackward(executor, shape, x.f64(), dy.f64(), dx.f64());
        } else {
            activationsF32.geluBackward(executor, shape, x.f32(), dy.f32(), dx.f32());
        }
        toc(KernelId.GELU_BACKWARD, t0);
    }

    @Override
    protected void runGlu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            activationsF64.glu(executor, shape, x.f64(), y.f64());
        } else {
            activationsF32.glu(executor, shape, x.f32(), y.f32());
        }
        toc(KernelId.GLU, t0);
    }

    @Override
    protected void runGluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            activationsF64.gluBackward(executor, shape, x.f64(), dy.f64(), dx.f64());
        } else {
            activationsF32.gluBackward(executor, shape, x.f32(), dy.f32(), dx.f32());
        }
        toc(KernelId.GLU_BACKWARD, t0);
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    @Override
    protected void runBiasAdd(BiasShape shape, JvmBuffer bias, JvmBuffer y, boolean accumulate) {
        long t0 = tic();
        if (y.precision() == Precision.F64) {
            optimF64.biasAdd(executor, shape, bias.f64(), y.f64(), accumulate);
        } else {
            optimF32.biasAdd(executor, shape, bias.f32(), y.f32(), accumulate);
        }
        toc(KernelId.BIAS_ADD, t0);
    }

    @Override
    protected void runBiasGrad(BiasShape shape, JvmBuffer dy, JvmBuffer db) {
        long t0 = tic();
        if (dy.precision() == Precision.F64) {
            optimF64.biasGrad(executor, shape, dy.f64(), db.f64());
        } else {
            optimF32.biasGrad(executor, shape, dy.f32(), db.f32());
        }
        toc(KernelId.BIAS_GRAD, t0);
    }

    @Override
    protected void runAxpy(AxpyShape shape, double alpha, JvmBuffer x, JvmBuffer y) {
        long t0 = tic();
        if (y.precision() == Precision.F64) {
            optimF64.axpy(executor, shape, alpha, x.f64(), y.f64());
        } else {
            optimF32.axpy(executor, shape, alpha, x.f32(), y.f32());
        }
        toc(KernelId.AXPY, t0);
    }

    @Override
    protected void runSumSquares(Span span, JvmBuffer x, JvmBuffer partials, int slot) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            optimF64.sumSquares(executor, span, x.f64(), partials.f64(), slot);
        } else {
            optimF32.sumSquares(executor, span, x.f32(), partials.f32(), slot);
        }
        toc(KernelId.SUM_SQUARES, t0);
    }

    @Override
    protected void runAdamW(Span span, AdamWStep step, JvmBuffer param, JvmBuffer grad, JvmBuffer m, JvmBuffer v,
                            JvmBuffer partials, int partialCount) {
        long t0 = tic();
        if (param.precision() == Precision.F64) {
            optimF64.adamW(executor, span, step, param.f64(), grad.f64(), m.f64(), v.f64(), partials.f64(), partialCount);
        } else {
            optimF32.adamW(executor, span, step, param.f32(), grad.f32(), m.f32(), v.f32(), partials.f32(), partialCount);
        }
        toc(KernelId.ADAMW, t0);
    }

    // ---- normalisation and dropout (issue 15)

    @Override
    protected void runLayerNorm(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer beta, JvmBuffer y, JvmBuffer mean,
                                JvmBuffer invStd) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            normsF64.layerNorm(executor, shape, x.f64(), gamma.f64(), beta.f64(), y.f64(), mean.f64(), invStd.f64());
        } else {
            normsF32.layerNorm(executor, shape, x.f32(), gamma.f32(), beta.f32(), y.f32(), mean.f32(), invStd.f32());
        }
        toc(KernelId.LAYER_NORM, t0);
    }

    @Override
    protected void runLayerNormBackward(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd,
                                        JvmBuffer dy, JvmBuffer dx, JvmBuffer dGamma, JvmBuffer dBeta) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            normsF64.layerNormBackward(executor, shape, x.f64(), gamma.f64(), mean.f64(), invStd.f64(), dy.f64(), dx.f64(),
                dGamma.f64(), dBeta.f64());
        } else {
            normsF32.layerNormBackward(executor, shape, x.f32(), gamma.f32(), mean.f32(), invStd.f32(), dy.f32(), dx.f32(),
                dGamma.f32(), dBeta.f32());
        }
        toc(KernelId.LAYER_NORM_BACKWARD, t0);
    }

    @Override
    protected void runBatchNorm(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths, JvmBuffer gamma,
                                JvmBuffer beta, JvmBuffer runningMean, JvmBuffer runningVar, JvmBuffer y, JvmBuffer mean,
                                JvmBuffer invStd) {
        long t0 = tic();
        int[] len = lengths == null ? null : lengths.values();
        if (x.precision() == Precision.F64) {
            normsF64.batchNorm(executor, shape, training, x.f64(), len, gamma.f64(), beta.f64(), runningMean.f64(),
                runningVar.f64(), y.f64(), mean.f64(), invStd.f64());
        } else {
            normsF32.batchNorm(executor, shape, training, x.f32(), len, gamma.f32(), beta.f32(), runningMean.f32(),
                runningVar.f32(), y.f32(), mean.f32(), invStd.f32());
        }
        toc(KernelId.BATCH_NORM, t0);
    }

    @Override
    protected void runBatchNormBackward(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths,
                                        JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd, JvmBuffer dy, JvmBuffer dx,
                                        JvmBuffer dGamma, JvmBuffer dBeta) {
        long t0 = tic();
        int[] len = lengths == null ? null : lengths.values();
        if (x.precision() == Precision.F64) {
            normsF64.batchNormBackward(executor, shape, training, x.f64(), len, gamma.f64(), mean.f64(), invStd.f64(),
                dy.f64(), dx.f64(), dGamma.f64(), dBeta.f64());
        } else {
            normsF32.batchNormBackward(executor, shape, training, x.f32(), len, gamma.f32(), mean.f32(), invStd.f32(),
                dy.f32(), dx.f32(), dGamma.f32(), dBeta.f32());
        }
        toc(KernelId.BATCH_NORM_BACKWARD, t0);
    }

    @Override
    protected void runDropout(DropoutShape shape, JvmBuffer x, JvmBuffer y) {
        long t0 = tic();
        dropout(shape, x, y);
        toc(KernelId.DROPOUT, t0);
    }

    @Override
    protected void runDropoutBackward(DropoutShape shape, JvmBuffer dy, JvmBuffer dx) {
        long t0 = tic();
        dropout(shape, dy, dx);
        toc(KernelId.DROPOUT_BACKWARD, t0);
    }

    private void dropout(DropoutShape shape, JvmBuffer in, JvmBuffer out) {
        if (in.precision() == Precision.F64) {
            normsF64.dropout(executor, shape, shape.scale(), in.f64(), out.f64());
        } else {
            normsF32.dropout(executor, shape, (float) shape.scale(), in.f32(), out.f32());
        }
    }

    @Override
    protected void runMaskPadding(NormShape shape, JvmIndexBuffer lengths, JvmBuffer x) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            normsF64.maskPadding(executor, shape, lengths.values(), x.f64());
        } else {
            normsF32.maskPadding(executor, shape, lengths.values(), x.f32());
        }
        toc(KernelId.MASK_PADDING, t0);
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    @Override
    protected void runEmbedding(EmbeddingShape shape, JvmIndexBuffer tokens, JvmBuffer table, JvmBuffer y) {
        long t0 = tic();
        if (table.precision() == Precision.F64) {
            endsF64.embedding(executor, shape, tokens.values(), table.f64(), y.f64());
        } else {
            endsF32.embedding(executor, shape, tokens.values(), table.f32(), y.f32());
        }
        toc(KernelId.EMBEDDING, t0);
    }

    @Override
    protected void runEmbeddingBackward(EmbeddingShape shape, JvmIndexBuffer order, JvmIndexBuffer starts, JvmBuffer dy,
                                        JvmBuffer dTable) {
        long t0 = tic();
        if (dy.precision() == Precision.F64) {
            endsF64.embeddingBackward(executor, shape, order.values(), starts.values(), dy.f64(), dTable.f64());
        } else {
            endsF32.embeddingBackward(executor, shape, order.values(), starts.values(), dy.f32(), dTable.f32());
        }
        toc(KernelId.EMBEDDING_BACKWARD, t0);
    }

    @Override
    protected void runPool(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer x, JvmBuffer y) {
        long t0 = tic();
        if (x.precision() == Precision.F64) {
            endsF64.pool(executor, shape, lengths.values(), x.f64(), y.f64());
        } else {
            endsF32.pool(executor, shape, lengths.values(), x.f32(), y.f32());
        }
        toc(KernelId.POOL, t0);
    }

    @Override
    protected void runPoolBackward(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer dy, JvmBuffer dx) {
        long t0 = tic();
        if (dy.precision() == Precision.F64) {
            endsF64.poolBackward(executor, shape, lengths.values(), dy.f64(), dx.f64());
        } else {
            endsF32.poolBackward(executor, shape, lengths.values(), dy.f32(), dx.f32());
        }
        toc(KernelId.POOL_BACKWARD, t0);
    }

    @Override
    protected void runCrossEntropy(LossShape shape, JvmBuffer logits, JvmIndexBuffer targets, double scale, JvmBuffer grad,
                                   JvmBuffer scalars, int scalarsOffset) {
        long t0 = tic();
        if (logits.precision() == Precision.F64) {
            endsF64.crossEntropy(executor, shape, logits.f64(), targets.values(), scale, grad.f64(), scalars.f64(),
                scalarsOffset);
        } else {
            endsF32.crossEntropy(executor, shape, logits.f32(), targets.values(), (float) scale, grad.f32(), scalars.f32(),
                scalarsOffset);
        }
        toc(KernelId.CROSS_ENTROPY, t0);
    }

    @Override
    protected void runMse(LossShape shape, JvmBuffer outputs, JvmBuffer targets, JvmIndexBuffer lengths, double scale,
                          JvmBuffer grad, JvmBuffer scalars, int scalarsOffset) {
        long t0 = tic();
        if (outputs.precision() == Precision.F64) {
            endsF64.mse(executor, shape, outputs.f64(), targets.f64(), lengths.values(), scale, grad.f64(), scalars.f64(),
                scalarsOffset);
        } else {
            endsF32.mse(executor, shape, outputs.f32(), targets.f32(), lengths.values(), (float) scale, grad.f32(),
                scalars.f32(), scalarsOffset);
        }
        toc(KernelId.MSE, t0);
    }

    @Override
    public long liveBytes() {
        return live.get() + scratch.bytes() + gemmF64.scratchBytes() + gemmF32.scratchBytes() + optimF64.scratchBytes()
            + optimF32.scratchBytes();
    }

    /**
     * Upper-ish bound of the heap this backend adds to its callers' buffers for transforms up to real FFT
     * length n = {@code fftLength} over {@code rows} independent rows (B·H signals): per busy worker
     * (at most {@code rows} of them), the scratch of the convolution kernels (three spectra, a signal row and
     * the plan's scratch, about 6n values, see {@code JvmKernelsF64}) and, when n is a power of two of the
     * four-step size, the paired rows (4n values, {@link JvmScratch#fourStepF64}), in the given precision;
     * once per process, the cached FFT tables of n and of the kernel length n/2 in both precisions (twiddles
     * and split tables, under 28 bytes a point, and 36 more for the four-step tables). Saturates instead of
     * overflowing.
     */
    public static long workspaceBytes(int workers, long rows, long fftLength, Precision precision) {
        long n = Math.max(1, fftLength);
        boolean fourStep = n <= Integer.MAX_VALUE && FourStepPlan.supports((int) n);
        long perWorker = MemoryCheck.times(MemoryCheck.plus(MemoryCheck.times(fourStep ? 10 : 6, n), 6),
            precision.bytes());
        long busy = Math.max(1, Math.min(Math.max(1, workers), rows));
        return MemoryCheck.plus(MemoryCheck.times(busy, perWorker), MemoryCheck.times(fourStep ? 64 : 28, n));
    }

    /** Bytes of per-worker scratch currently held. */
    public long scratchBytes() {
        return scratch.bytes();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsExecutor) {
                executor.close();
            }
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("backend jvm is closed");
        }
    }

    @Override
    protected JvmBuffer own(DeviceBuffer b, String name) {
        open();
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!(b instanceof JvmBuffer)) {
            throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                + ", not a buffer of backend jvm");
        }
        return (JvmBuffer) b;
    }

    @Override
    protected JvmIndexBuffer ownIndices(IndexBuffer b, String name) {
        open();
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!(b instanceof JvmIndexBuffer)) {
            throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                + ", not an index buffer of backend jvm");
        }
        return (JvmIndexBuffer) b;
    }
}
