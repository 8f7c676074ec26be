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
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.FourStepPlan;
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The plain-Java backend: buffers are heap arrays, kernels are Java loops spread over an explicit
 * {@link JvmExecutor}. This class checks every call (with {@link AbstractBackend}), manages buffers and the
 * backend's life, and owns the parts that do the work: the host transfers ({@code JvmHostTransfers}), the
 * dispatch of each kernel call to its float64 or float32 kernel object ({@code JvmSpectralDispatch} for the
 * FFTs, rational spectrum, convolution and modal kernels; {@code JvmDenseDispatch} for GEMM, activations,
 * optimiser, norms, dropout and the model's ends) and the kernel timing ({@code JvmKernelTimer}). Per-worker
 * scratch and the kernels' reusable loop tasks are owned by this instance, so after the first call at a shape
 * a kernel call allocates nothing. With {@link #setProfiling} on, every kernel call is timed (wall clock
 * around the call, which is synchronous here) into {@link #profiler()}, the same kernel-level profile the
 * OpenCL backend keeps.
 *
 * <p>Accuracy (error against float64 on the same inputs, relative to the largest output): float64 about
 * 1e-13; float32 FFTs, convolutions and rational spectra within 2e-6·log2 n (values) and 2e-5·log2 n
 * (gradients); float32 Vandermonde ≤ 5e-6 at any L (float64 anchors every
 * {@link org.rtf4j.kernels.spectral.ModalShape#VANDERMONDE_BLOCK} lags); float32 Cauchy ≤ 1e-3, set by
 * the conditioning of its nodes; GEMM ({@code JvmGemmF64}) bit-identical to a plain loop in the buffer's
 * precision on any thread count; GLU bit-identical to the host model's float64 formulas, GELU within
 * 4·2⁻⁵²·|x| of the textbook tanh form (see {@code Backend.gelu}); the optimiser glue ({@code JvmOptimF64}:
 * bias add and gradient, axpy, squared norms, AdamW) as stated per method in {@code Backend}, its sums in one
 * blocked order, bit-identical on any thread count; LayerNorm's float64 forward bit-identical to the host
 * model's formulas, the other norms within 1e-12 of them, and every norm bit-identical on any thread count
 * ({@code JvmNormsF64}); the embedding and its scatter-add exact (additions in the grouping's order), the
 * pooled mean and the loss sums in {@code LossShape}'s pairwise order on any thread count
 * ({@code JvmEndsF64}). OpenCL's accuracy per device kind is stated in {@code OpenClBackend}.
 */
public final class JvmBackend extends AbstractBackend<JvmBuffer, JvmIndexBuffer> {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");

    private final JvmExecutor executor;
    private final boolean ownsExecutor;
    private final JvmScratch scratch;
    private final JvmKernelTimer timer = new JvmKernelTimer();
    private final JvmHostTransfers transfers;
    private final JvmSpectralDispatch spectralKernels;
    private final JvmDenseDispatch denseKernels;
    private final java.util.concurrent.atomic.AtomicLong live = new java.util.concurrent.atomic.AtomicLong();
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
        this.transfers = new JvmHostTransfers(executor);
        this.spectralKernels = new JvmSpectralDispatch(executor, scratch, timer);
        this.denseKernels = new JvmDenseDispatch(executor, timer);
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
        timer.setProfiling(on);
    }

    /** The kernel-level profile recorded while {@link #setProfiling profiling} was on. */
    @Override
    public Profiler profiler() {
        return timer.profiler();
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
        transfers.write(d, dstOffset, src, srcOffset, length);
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length) {
        JvmBuffer d = own(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", src.length, srcOffset, length);
        transfers.write(d, dstOffset, src, srcOffset, length);
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        transfers.read(s, srcOffset, dst, dstOffset, length);
    }

    @Override
    public void readAdd(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        if (dst == null) {
            throw new IllegalArgumentException("dst must not be null");
        }
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        transfers.readAdd(s, srcOffset, dst, dstOffset, length);
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

    @Override
    public void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        transfers.read(s, srcOffset, dst, dstOffset, length);
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
        spectralKernels.fftComplex(n, rows, d, inverse);
    }

    @Override
    protected void runFftRealForward(int n, int rows, JvmBuffer i, int inStride, int inLength, JvmBuffer o) {
        spectralKernels.fftRealForward(n, rows, i, inStride, inLength, o);
    }

    @Override
    protected void runFftRealInverse(int n, int rows, JvmBuffer i, JvmBuffer o, int outStride, int outLength) {
        spectralKernels.fftRealInverse(n, rows, i, o, outStride, outLength);
    }

    @Override
    protected void runRationalSpectrum(RationalShape shape, JvmBuffer a, JvmBuffer margin, JvmBuffer b, JvmBuffer h0,
                                       JvmBuffer specA, JvmBuffer specB, JvmBuffer specK, JvmBuffer minMag) {
        spectralKernels.rationalSpectrum(shape, a, margin, b, h0, specA, specB, specK, minMag);
    }

    @Override
    protected void runRationalSpectrumBackward(RationalShape shape, JvmBuffer gk, int ell, JvmBuffer specA,
                                               JvmBuffer specB, JvmBuffer da, JvmBuffer db, JvmBuffer dh0, JvmBuffer work) {
        spectralKernels.rationalSpectrumBackward(shape, gk, ell, specA, specB, da, db, dh0, work);
    }

    @Override
    protected void runFftConv(ConvShape shape, JvmBuffer kf, JvmBuffer kb, JvmBuffer u, JvmBuffer y, JvmBuffer kSpec,
                              JvmBuffer uSpec) {
        spectralKernels.fftConv(shape, kf, kb, u, y, kSpec, uSpec);
    }

    @Override
    protected void runFftConvBackward(ConvShape shape, JvmBuffer kSpec, JvmBuffer uSpec, JvmBuffer gy, JvmBuffer du,
                                      JvmBuffer dkf, JvmBuffer dkb) {
        spectralKernels.fftConvBackward(shape, kSpec, uSpec, gy, du, dkf, dkb);
    }

    @Override
    protected void runVandermonde(ModalShape shape, JvmBuffer logZ, JvmBuffer chat, JvmBuffer lag0, JvmBuffer k) {
        spectralKernels.vandermonde(shape, logZ, chat, lag0, k);
    }

    @Override
    protected void runVandermondeBackward(ModalShape shape, JvmBuffer logZ, JvmBuffer gk, JvmBuffer sums,
                                          JvmBuffer weighted, JvmBuffer lag0Grad) {
        spectralKernels.vandermondeBackward(shape, logZ, gk, sums, weighted, lag0Grad);
    }

    @Override
    protected void runCauchy(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer lag0, JvmBuffer kHat) {
        spectralKernels.cauchy(shape, w, v, lag0, kHat);
    }

    @Override
    protected void runCauchyBackward(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer gs, JvmBuffer gv, JvmBuffer gw,
                                     JvmBuffer gamma, JvmBuffer lag0Grad) {
        spectralKernels.cauchyBackward(shape, w, v, gs, gv, gw, gamma, lag0Grad);
    }

    @Override
    protected void runGemm(GemmShape shape, JvmBuffer a, JvmBuffer b, JvmBuffer c) {
        denseKernels.gemm(shape, a, b, c);
    }

    @Override
    protected void runGelu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        denseKernels.gelu(shape, x, y);
    }

    @Override
    protected void runGeluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        denseKernels.geluBackward(shape, x, dy, dx);
    }

    @Override
    protected void runGlu(ActivationShape shape, JvmBuffer x, JvmBuffer y) {
        denseKernels.glu(shape, x, y);
    }

    @Override
    protected void runGluBackward(ActivationShape shape, JvmBuffer x, JvmBuffer dy, JvmBuffer dx) {
        denseKernels.gluBackward(shape, x, dy, dx);
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    @Override
    protected void runBiasAdd(BiasShape shape, JvmBuffer bias, JvmBuffer y, boolean accumulate) {
        denseKernels.biasAdd(shape, bias, y, accumulate);
    }

    @Override
    protected void runBiasGrad(BiasShape shape, JvmBuffer dy, JvmBuffer db) {
        denseKernels.biasGrad(shape, dy, db);
    }

    @Override
    protected void runAxpy(AxpyShape shape, double alpha, JvmBuffer x, JvmBuffer y) {
        denseKernels.axpy(shape, alpha, x, y);
    }

    @Override
    protected void runSumSquares(Span span, JvmBuffer x, JvmBuffer partials, int slot) {
        denseKernels.sumSquares(span, x, partials, slot);
    }

    @Override
    protected void runAdamW(Span span, AdamWStep step, JvmBuffer param, JvmBuffer grad, JvmBuffer m, JvmBuffer v,
                            JvmBuffer partials, int partialCount) {
        denseKernels.adamW(span, step, param, grad, m, v, partials, partialCount);
    }

    // ---- normalisation and dropout (issue 15)

    @Override
    protected void runLayerNorm(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer beta, JvmBuffer y, JvmBuffer mean,
                                JvmBuffer invStd) {
        denseKernels.layerNorm(shape, x, gamma, beta, y, mean, invStd);
    }

    @Override
    protected void runLayerNormBackward(NormShape shape, JvmBuffer x, JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd,
                                        JvmBuffer dy, JvmBuffer dx, JvmBuffer dGamma, JvmBuffer dBeta) {
        denseKernels.layerNormBackward(shape, x, gamma, mean, invStd, dy, dx, dGamma, dBeta);
    }

    @Override
    protected void runBatchNorm(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths, JvmBuffer gamma,
                                JvmBuffer beta, JvmBuffer runningMean, JvmBuffer runningVar, JvmBuffer y, JvmBuffer mean,
                                JvmBuffer invStd) {
        denseKernels.batchNorm(shape, training, x, lengths, gamma, beta, runningMean, runningVar, y, mean, invStd);
    }

    @Override
    protected void runBatchNormBackward(NormShape shape, boolean training, JvmBuffer x, JvmIndexBuffer lengths,
                                        JvmBuffer gamma, JvmBuffer mean, JvmBuffer invStd, JvmBuffer dy, JvmBuffer dx,
                                        JvmBuffer dGamma, JvmBuffer dBeta) {
        denseKernels.batchNormBackward(shape, training, x, lengths, gamma, mean, invStd, dy, dx, dGamma, dBeta);
    }

    @Override
    protected void runDropout(DropoutShape shape, JvmBuffer x, JvmBuffer y) {
        denseKernels.dropout(shape, x, y);
    }

    @Override
    protected void runDropoutBackward(DropoutShape shape, JvmBuffer dy, JvmBuffer dx) {
        denseKernels.dropoutBackward(shape, dy, dx);
    }

    @Override
    protected void runMaskPadding(NormShape shape, JvmIndexBuffer lengths, JvmBuffer x) {
        denseKernels.maskPadding(shape, lengths, x);
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    @Override
    protected void runEmbedding(EmbeddingShape shape, JvmIndexBuffer tokens, JvmBuffer table, JvmBuffer y) {
        denseKernels.embedding(shape, tokens, table, y);
    }

    @Override
    protected void runEmbeddingBackward(EmbeddingShape shape, JvmIndexBuffer order, JvmIndexBuffer starts, JvmBuffer dy,
                                        JvmBuffer dTable) {
        denseKernels.embeddingBackward(shape, order, starts, dy, dTable);
    }

    @Override
    protected void runPool(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer x, JvmBuffer y) {
        denseKernels.pool(shape, lengths, x, y);
    }

    @Override
    protected void runPoolBackward(PoolShape shape, JvmIndexBuffer lengths, JvmBuffer dy, JvmBuffer dx) {
        denseKernels.poolBackward(shape, lengths, dy, dx);
    }

    @Override
    protected void runCrossEntropy(LossShape shape, JvmBuffer logits, JvmIndexBuffer targets, double scale, JvmBuffer grad,
                                   JvmBuffer scalars, int scalarsOffset) {
        denseKernels.crossEntropy(shape, logits, targets, scale, grad, scalars, scalarsOffset);
    }

    @Override
    protected void runMse(LossShape shape, JvmBuffer outputs, JvmBuffer targets, JvmIndexBuffer lengths, double scale,
                          JvmBuffer grad, JvmBuffer scalars, int scalarsOffset) {
        denseKernels.mse(shape, outputs, targets, lengths, scale, grad, scalars, scalarsOffset);
    }

    @Override
    public long liveBytes() {
        return live.get() + scratch.bytes() + denseKernels.scratchBytes();
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
