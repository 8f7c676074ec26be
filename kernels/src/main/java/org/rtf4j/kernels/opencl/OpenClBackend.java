package org.rtf4j.kernels.opencl;

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
import org.rtf4j.kernels.profile.Profiler;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The OpenCL backend (JOCL): every {@link KernelId} as a sequence of OpenCL C kernels from
 * the program of {@code ClSource} (one OpenCL C file per job: common, FFT, convolution,
 * rational spectrum, modal kernels, dense layers), built once per precision (float64 only on devices with {@code cl_khr_fp64}).
 * Intermediates stay in device buffers; only what the caller writes and reads crosses the bus, and the
 * {@link Profiler} counts those bytes. Every command is profiled with OpenCL events.
 *
 * <p><b>Waits.</b> Kernels, writes, device copies and fills are queued and return at once; the host blocks
 * on the device only in a blocking {@code read}/{@code readAdd}, in {@code PendingRead.await()} of a
 * deferred read ({@link #readLater}) not yet complete, in {@link #profiler()} while commands are pending
 * and in {@link #close()}. Each such host wait is a {@code WAIT} record of the profiler
 * ({@link Profiler#hostWaits()}). Host arrays given to {@code write} may be reused as soon as it returns
 * (the values are staged). A device error of a queued command surfaces at the next wait.
 *
 * <p><b>FFT lengths.</b> Powers of two run in local memory, every other length Bluestein
 * ({@link #fftAlgorithm}): two power-of-two transforms and the chirp products. A power-of-two
 * transform of n takes one launch when its n complex fit the local memory ({@link #setLocalFftLimit}), two
 * (four-step) up to the square of that length, log2(n) global passes beyond: with 48 KiB of local memory one
 * launch up to n = 4096 (float32) or 2048 (float64), two up to 2^24 or 2^22; an in-place {@code fftComplex}
 * adds one device copy on the two-launch path (and on the global passes when log2 n is odd). The convolution therefore runs at the smallest power of two
 * n ≥ 2ℓ ({@link #convolutionFftLength}, which layers build their {@code ConvShape} with), never Bluestein;
 * the JVM's 7-smooth lengths (2000 for ℓ = 1000) would be Bluestein here. The rational spectrum of RTF
 * transforms at its kernel length P = L + (L mod 2), fixed by the layer's definition, so a P that is not a
 * power of two (L = 1000) runs Bluestein there.
 *
 * <p><b>Accuracy</b>, as the error {@code max|got − ref| / max(1, max|ref|)} against float64 on the same
 * inputs (the tests' measure; numbers measured on PoCL up to L = 16384, the bounds are what the tests hold
 * under every {@link DeviceProfile}). The float32 program computes in float32 only, the same on every
 * device with or without {@code cl_khr_fp64}:
 * <ul>
 *   <li>float64 (devices with {@code cl_khr_fp64}): as the JVM, about 1e-13 for every kernel.</li>
 *   <li>float32 FFTs, convolutions and the rational spectrum: within the JVM's budgets (2e-6·log2 n for
 *       values, 2e-5·log2 n for gradients).</li>
 *   <li>float32 Vandermonde (S4D) and its backward: ≤ 5e-6 at any L (measured 2.8e-6), as the JVM: the
 *       anchors z^l every block of lags split the products l·log z exactly with {@code fma} and reduce the
 *       phase modulo 2π in two parts, so their error does not grow with l; long sums add in blocks.</li>
 *   <li>float32 Cauchy (S4) and its backward: ≤ 1e-3 (measured 2.7e-4), set by the conditioning of
 *       z_k − w_m as on the JVM; the nodes come from {@code tanpi} of small exact ratios.</li>
 *   <li>GELU, GLU and their backwards: per element within twice the JVM's bounds of the JVM's values
 *       ({@code Backend.gelu}, {@code Backend.glu}; measured at most 0.4 of that on PoCL).</li>
 *   <li>Optimiser glue (issue 15): bias add bit for bit as the JVM; bias gradient and squared norms in the
 *       JVM's blocked order (a work-group reduction then a final pass in chunk order), within the same bounds
 *       of the exact sums (bit-identical to the JVM on PoCL); axpy and AdamW within the bounds of
 *       {@code Backend.axpy} and {@code Backend.adamW} (a device may fuse multiply-adds).</li>
 *   <li>LayerNorm, BatchNorm and their backwards: within the JVM's float32 bounds of the JVM (float64 1e-12),
 *       with products not fused ({@code norm.cl}); bit for bit the JVM on PoCL. The padding mask and dropout
 *       are exact, their masks the JVM's bit for bit (Philox4x32-10, integer only).</li>
 *   <li>The model's ends ({@code ends.cl}): the embedding and its scatter-add bit for bit the JVM's (additions
 *       in the same order); pooling's mean within 4·u·|y|; the losses' gradients and sums within twice the
 *       JVM's bounds of the JVM's values and their counts exact ({@code Backend.crossEntropy}, {@code mse});
 *       also under the fast-math profile.</li>
 * </ul>
 *
 * <p><b>Launches</b> are planned from the device's limits ({@code LaunchPlanner}, {@link DeviceLimits}):
 * explicit work-groups within the device's and each kernel's caps, global sizes rounded up to them (every
 * kernel guards its range). {@link #create(String, String, String, DeviceProfile)} plans for a smaller
 * device than the one present, to run a GPU's launches on a CPU device.
 *
 * <p>This class is the seam's face and checks arguments; the work is done by the package's parts:
 * {@code ClRuntime} (context, queue, programs, events, buffers, the checked launcher), {@code ClFft} (device
 * FFTs over tables from the JVM's plans) and {@code ClComposites} (the composite kernels).
 *
 * <p><b>Concurrency.</b> One lock serialises every call (kernels, transfers, allocation, a buffer's
 * {@code close}, {@code close}), as the {@code Backend} contract promises; calls from several threads
 * give the results each gives alone.
 *
 * <p><b>Closing.</b> {@link #close()} frees everything the backend holds. Caller buffers still open then
 * are freed too and reported in one warning on the {@code org.rtf4j.backend} logger: their count, bytes,
 * and the size and allocating method of the first few (as Arrow's allocator reports leaks at close).
 * Their handles stay safe to close.
 *
 * <p>Device selection is explicit and logged once; there is no fallback to another device or backend:
 * a missing platform, a failed build (its log included) or device out-of-memory throws.
 */
public final class OpenClBackend extends AbstractBackend<ClBuffer, ClIndexBuffer> {
    private final ClRuntime rt;
    private final ClFft fft;
    private final ClComposites composites;
    // ---- normalisation and dropout (issue 15)
    private final ClNorms norms;

    private OpenClBackend(OpenClDevices.Found found, DeviceProfile profile, String buildOptions) {
        this.rt = new ClRuntime(found, profile, buildOptions);
        this.fft = new ClFft(rt);
        this.composites = new ClComposites(rt, fft);
        this.norms = new ClNorms(rt);
    }

    /**
     * Opens a device: {@code platform}, {@code device} each an index or a name substring (null = any; among
     * the matching devices a GPU is preferred, see {@link OpenClDevices#choose});
     * {@code buildOptions} are passed to the OpenCL compiler (e.g. {@code -cl-fast-relaxed-math}).
     */
    public static OpenClBackend create(String platform, String device, String buildOptions) {
        return create(platform, device, buildOptions, DeviceProfile.NONE);
    }

    /**
     * Opens a device under an emulation {@code profile}: every launch is planned for the device's limits
     * as the profile caps them (local memory, work-group size, float64), and the profile's build options
     * come before {@code buildOptions}; the backend's log line names the profile.
     */
    public static OpenClBackend create(String platform, String device, String buildOptions, DeviceProfile profile) {
        if (profile == null) {
            throw new IllegalArgumentException("profile must not be null (DeviceProfile.NONE for the device as it is)");
        }
        return new OpenClBackend(OpenClDevices.select(platform, device), profile, buildOptions);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String deviceDescription() {
        return rt.info.describe();
    }

    @Override
    public boolean timesDeviceEvents() {
        return true;
    }

    /** The device. */
    public DeviceInfo device() {
        return rt.info;
    }

    /**
     * The kernel-level profile, complete: first waits for the commands still pending (a host wait, counted,
     * when any are), so their times are in it. After {@link #close()} (which waited) it is returned as is.
     */
    @Override
    public Profiler profiler() {
        rt.lock.lock();
        try {
            if (!rt.isClosed()) {
                rt.waitAll("profiler");
            }
            return rt.profiler;
        } finally {
            rt.lock.unlock();
        }
    }

    /** {@link #powerOfTwoFftLength}: its real transform runs a radix-2 complex one of n/2, never Bluestein. */
    @Override
    public long convolutionFftLength(long length) {
        return powerOfTwoFftLength(length);
    }

    /**
     * OpenCL's convolution FFT length for input length ℓ ≥ 1: the smallest power of two n ≥ 2ℓ (ℓ = 1000
     * gives 2048, where the JVM's 7-smooth rule gives 2000, a Bluestein length here). Above
     * {@link ConvShape#MAX_LENGTH} it is 2ℓ (saturating), a lower bound (such a shape is refused anyway).
     *
     * @throws IllegalArgumentException when {@code length < 1}
     */
    public static long powerOfTwoFftLength(long length) {
        if (length < 1) {
            throw new IllegalArgumentException("input length ℓ must be ≥ 1, got " + length);
        }
        return length <= ConvShape.MAX_LENGTH ? Long.highestOneBit(2 * length - 1) << 1 : MemoryCheck.times(2, length);
    }

    /**
     * {@code STOCKHAM_POW2} for powers of two (the device's power-of-two path: local-memory radix-4/radix-2, four-step
     * or global Stockham passes by length), {@code BLUESTEIN} for every other length.
     */
    @Override
    public ComplexFftPlan.Algorithm fftAlgorithm(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        return ClFft.algorithm(n);
    }

    /**
     * Largest local memory (bytes) per work-group the FFTs may use, at most the device's local memory
     * (the default, {@link Long#MAX_VALUE}, means all of it). A power-of-two transform of n complex runs
     * in one launch when n complex fit (n·2·bytes per real ≤ the limit), in two when n ≤ C², C the largest
     * such power of two, else in log2(n) global passes; 0 takes the global passes at every length. Lower it
     * to exercise the other paths or to plan for a device with less local memory.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public void setLocalFftLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("local FFT limit bytes must be >= 0, got " + bytes);
        }
        rt.lock.lock();
        try {
            fft.setLocalLimit(bytes);
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public long liveBytes() {
        rt.lock.lock();
        try {
            return rt.liveBytes();
        } finally {
            rt.lock.unlock();
        }
    }

    /** Buffers allocated by callers and not yet closed (scratch excluded). */
    public int liveBuffers() {
        rt.lock.lock();
        try {
            return rt.liveBuffers();
        } finally {
            rt.lock.unlock();
        }
    }

    /** The runtime (for the package's tests). */
    ClRuntime runtime() {
        return rt;
    }

    /** Builds both precisions' programs now (where available), e.g. to separate build time from run time. */
    @Override
    public void build() {
        rt.lock.lock();
        try {
            rt.build();
        } finally {
            rt.lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------ buffers, transfers

    @Override
    public DeviceBuffer allocate(Precision precision, int length) {
        if (precision == null || length < 0) {
            throw new IllegalArgumentException("precision must not be null and length must be ≥ 0, got " + precision + ", " + length);
        }
        rt.lock.lock();
        try {
            return rt.allocate(precision, length);
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer d = transfer(dst, "dst", dstOffset, src.length, srcOffset, length);
            if (d != null) {
                rt.transfers.write(d, dstOffset, src, srcOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer d = transfer(dst, "dst", dstOffset, src.length, srcOffset, length);
            if (d != null) {
                rt.transfers.write(d, dstOffset, src, srcOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer s = transfer(src, "src", srcOffset, dst.length, dstOffset, length);
            if (s != null) {
                rt.transfers.read(s, srcOffset, dst, dstOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer s = transfer(src, "src", srcOffset, dst.length, dstOffset, length);
            if (s != null) {
                rt.transfers.read(s, srcOffset, dst, dstOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    /** Queues the read under the lock, the buffer checked once more; {@link ClTransfers#readLater}. */
    @Override
    protected PendingRead startRead(ClBuffer src, int srcOffset, double[] dst, int dstOffset, int length, boolean add) {
        rt.lock.lock();
        try {
            return rt.transfers.readLater(rt.own(src, "src"), srcOffset, dst, dstOffset, length, add);
        } finally {
            rt.lock.unlock();
        }
    }

    /**
     * Checks a host transfer of {@code length} elements between {@code buffer[offset ..]} and a host array
     * of {@code hostLength} at {@code hostOffset}; null when there is nothing to move.
     */
    private ClBuffer transfer(DeviceBuffer buffer, String name, int offset, int hostLength, int hostOffset, int length) {
        ClBuffer b = own(buffer, name);
        range(name, b.length, offset, length);
        range("host array", hostLength, hostOffset, length);
        return length == 0 ? null : b;
    }

    @Override
    public IndexBuffer allocateIndices(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("index buffer length must be ≥ 0, got " + length);
        }
        rt.lock.lock();
        try {
            return new ClIndexBuffer(rt.allocate(Precision.F32, length));
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void writeIndices(IndexBuffer dst, int dstOffset, int[] src, int srcOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer d = ownIndices(dst, "dst").storage;
            range("dst", d.length, dstOffset, length);
            range("src", hostLength("src", src), srcOffset, length);
            if (length > 0) {
                rt.transfers.writeInts(d, dstOffset, src, srcOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void readIndices(IndexBuffer src, int srcOffset, int[] dst, int dstOffset, int length) {
        rt.lock.lock();
        try {
            ClBuffer s = ownIndices(src, "src").storage;
            range("src", s.length, srcOffset, length);
            range("dst", hostLength("dst", dst), dstOffset, length);
            if (length > 0) {
                rt.transfers.readInts(s, srcOffset, dst, dstOffset, length);
            }
        } finally {
            rt.lock.unlock();
        }
    }

    /** Our index buffer behind a handle, open (its storage checked as any buffer's). */
    @Override
    protected ClIndexBuffer ownIndices(IndexBuffer b, String name) {
        rt.lock.lock();
        try {
            if (b == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            if (!(b instanceof ClIndexBuffer)) {
                throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                    + ", not an index buffer of this opencl backend");
            }
            ClIndexBuffer c = (ClIndexBuffer) b;
            rt.own(c.storage, name);
            return c;
        } finally {
            rt.lock.unlock();
        }
    }

    @Override
    public void zero(DeviceBuffer buffer) {
        rt.lock.lock();
        try {
            rt.zero(own(buffer, "buffer"));
        } finally {
            rt.lock.unlock();
        }
    }

    /**
     * Checks a handle under the lock. The kernel methods check their buffers here and run under the lock
     * again ({@link ClRuntime#within}); the launcher checks each buffer once more, so one closed in between
     * by another thread is refused, not used.
     */
    @Override
    protected ClBuffer own(DeviceBuffer b, String name) {
        rt.lock.lock();
        try {
            return rt.own(b, name);
        } finally {
            rt.lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------- kernels

    @Override
    protected void runFftComplex(int n, int rows, ClBuffer d, boolean inverse) {
        rt.within(KernelId.FFT_COMPLEX, () -> fft.complex(d.precision, d, rows, n, inverse));
    }

    @Override
    protected void runFftRealForward(int n, int rows, ClBuffer i, int inStride, int inLength, ClBuffer o) {
        rt.within(KernelId.FFT_REAL_FORWARD, () -> fft.realForward(i.precision, n, rows, i, inStride, inLength, o));
    }

    @Override
    protected void runFftRealInverse(int n, int rows, ClBuffer i, ClBuffer o, int outStride, int outLength) {
        rt.within(KernelId.FFT_REAL_INVERSE, () -> fft.realInverse(i.precision, n, rows, i, o, outStride, outLength));
    }

    @Override
    protected void runRationalSpectrum(RationalShape shape, ClBuffer a, ClBuffer margin, ClBuffer b, ClBuffer h0,
                                       ClBuffer specA, ClBuffer specB, ClBuffer specK, ClBuffer minMagnitude) {
        rt.within(KernelId.RATIONAL_SPECTRUM,
            () -> composites.rationalSpectrum(shape, a, margin, b, h0, specA, specB, specK, minMagnitude));
    }

    @Override
    protected void runRationalSpectrumBackward(RationalShape shape, ClBuffer gk, int ell, ClBuffer specA, ClBuffer specB,
                                               ClBuffer da, ClBuffer db, ClBuffer dh0, ClBuffer work) {
        rt.within(KernelId.RATIONAL_SPECTRUM_BACKWARD,
            () -> composites.rationalSpectrumBackward(shape, gk, ell, specA, specB, da, db, dh0, work));
    }

    @Override
    protected void runFftConv(ConvShape shape, ClBuffer kf, ClBuffer kb, ClBuffer u, ClBuffer y, ClBuffer kSpec,
                              ClBuffer uSpec) {
        rt.within(KernelId.FFT_CONV, () -> composites.fftConv(shape, kf, kb, u, y, kSpec, uSpec));
    }

    @Override
    protected void runFftConvBackward(ConvShape shape, ClBuffer kSpec, ClBuffer uSpec, ClBuffer gy, ClBuffer du,
                                      ClBuffer dkf, ClBuffer dkb) {
        rt.within(KernelId.FFT_CONV_BACKWARD, () -> composites.fftConvBackward(shape, kSpec, uSpec, gy, du, dkf, dkb));
    }

    @Override
    protected void runVandermonde(ModalShape shape, ClBuffer logZ, ClBuffer chat, ClBuffer lag0, ClBuffer k) {
        rt.within(KernelId.VANDERMONDE, () -> composites.vandermonde(shape, logZ, chat, lag0, k));
    }

    @Override
    protected void runVandermondeBackward(ModalShape shape, ClBuffer logZ, ClBuffer gk, ClBuffer sums,
                                          ClBuffer weightedSums, ClBuffer lag0Grad) {
        rt.within(KernelId.VANDERMONDE_BACKWARD,
            () -> composites.vandermondeBackward(shape, logZ, gk, sums, weightedSums, lag0Grad));
    }

    @Override
    protected void runCauchy(ModalShape shape, ClBuffer w, ClBuffer v, ClBuffer lag0, ClBuffer kHat) {
        rt.within(KernelId.CAUCHY, () -> composites.cauchy(shape, w, v, lag0, kHat));
    }

    @Override
    protected void runGemm(GemmShape shape, ClBuffer a, ClBuffer b, ClBuffer c) {
        rt.within(KernelId.GEMM, () -> composites.gemm(shape, a, b, c));
    }

    @Override
    protected void runGelu(ActivationShape shape, ClBuffer x, ClBuffer y) {
        rt.within(KernelId.GELU, () -> composites.gelu(shape, x, y));
    }

    @Override
    protected void runGeluBackward(ActivationShape shape, ClBuffer x, ClBuffer dy, ClBuffer dx) {
        rt.within(KernelId.GELU_BACKWARD, () -> composites.geluBackward(shape, x, dy, dx));
    }

    @Override
    protected void runGlu(ActivationShape shape, ClBuffer x, ClBuffer y) {
        rt.within(KernelId.GLU, () -> composites.glu(shape, x, y));
    }

    @Override
    protected void runGluBackward(ActivationShape shape, ClBuffer x, ClBuffer dy, ClBuffer dx) {
        rt.within(KernelId.GLU_BACKWARD, () -> composites.gluBackward(shape, x, dy, dx));
    }

    @Override
    protected void runCauchyBackward(ModalShape shape, ClBuffer w, ClBuffer v, ClBuffer gradSpectrum, ClBuffer gv,
                                     ClBuffer gw, ClBuffer gamma, ClBuffer lag0Grad) {
        rt.within(KernelId.CAUCHY_BACKWARD,
            () -> composites.cauchyBackward(shape, w, v, gradSpectrum, gv, gw, gamma, lag0Grad));
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    @Override
    protected void runBiasAdd(BiasShape shape, ClBuffer bias, ClBuffer y, boolean accumulate) {
        rt.within(KernelId.BIAS_ADD, () -> composites.biasAdd(shape, bias, y, accumulate));
    }

    @Override
    protected void runBiasGrad(BiasShape shape, ClBuffer dy, ClBuffer db) {
        rt.within(KernelId.BIAS_GRAD, () -> composites.biasGrad(shape, dy, db));
    }

    @Override
    protected void runAxpy(AxpyShape shape, double alpha, ClBuffer x, ClBuffer y) {
        rt.within(KernelId.AXPY, () -> composites.axpy(shape, alpha, x, y));
    }

    @Override
    protected void runSumSquares(Span span, ClBuffer x, ClBuffer partials, int slot) {
        rt.within(KernelId.SUM_SQUARES, () -> composites.sumSquares(span, x, partials, slot));
    }

    @Override
    protected void runAdamW(Span span, AdamWStep step, ClBuffer param, ClBuffer grad, ClBuffer m, ClBuffer v,
                            ClBuffer partials, int partialCount) {
        rt.within(KernelId.ADAMW, () -> composites.adamW(span, step, param, grad, m, v, partials, partialCount));
    }

    // ---- normalisation and dropout (issue 15)

    @Override
    protected void runLayerNorm(NormShape shape, ClBuffer x, ClBuffer gamma, ClBuffer beta, ClBuffer y, ClBuffer mean,
                                ClBuffer invStd) {
        rt.within(KernelId.LAYER_NORM, () -> norms.layerNorm(shape, x, gamma, beta, y, mean, invStd));
    }

    @Override
    protected void runLayerNormBackward(NormShape shape, ClBuffer x, ClBuffer gamma, ClBuffer mean, ClBuffer invStd,
                                        ClBuffer dy, ClBuffer dx, ClBuffer dGamma, ClBuffer dBeta) {
        rt.within(KernelId.LAYER_NORM_BACKWARD,
            () -> norms.layerNormBackward(shape, x, gamma, mean, invStd, dy, dx, dGamma, dBeta));
    }

    @Override
    protected void runBatchNorm(NormShape shape, boolean training, ClBuffer x, ClIndexBuffer lengths, ClBuffer gamma,
                                ClBuffer beta, ClBuffer runningMean, ClBuffer runningVar, ClBuffer y, ClBuffer mean,
                                ClBuffer invStd) {
        ClBuffer len = lengths == null ? null : lengths.storage;
        rt.within(KernelId.BATCH_NORM,
            () -> norms.batchNorm(shape, training, x, len, gamma, beta, runningMean, runningVar, y, mean, invStd));
    }

    @Override
    protected void runBatchNormBackward(NormShape shape, boolean training, ClBuffer x, ClIndexBuffer lengths,
                                        ClBuffer gamma, ClBuffer mean, ClBuffer invStd, ClBuffer dy, ClBuffer dx,
                                        ClBuffer dGamma, ClBuffer dBeta) {
        ClBuffer len = lengths == null ? null : lengths.storage;
        rt.within(KernelId.BATCH_NORM_BACKWARD,
            () -> norms.batchNormBackward(shape, training, x, len, gamma, mean, invStd, dy, dx, dGamma, dBeta));
    }

    @Override
    protected void runDropout(DropoutShape shape, ClBuffer x, ClBuffer y) {
        rt.within(KernelId.DROPOUT, () -> norms.dropout(shape, x, y));
    }

    @Override
    protected void runDropoutBackward(DropoutShape shape, ClBuffer dy, ClBuffer dx) {
        rt.within(KernelId.DROPOUT_BACKWARD, () -> norms.dropout(shape, dy, dx));
    }

    @Override
    protected void runMaskPadding(NormShape shape, ClIndexBuffer lengths, ClBuffer x) {
        rt.within(KernelId.MASK_PADDING, () -> norms.maskPadding(shape, lengths.storage, x));
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    @Override
    protected void runEmbedding(EmbeddingShape shape, ClIndexBuffer tokens, ClBuffer table, ClBuffer y) {
        rt.within(KernelId.EMBEDDING, () -> composites.embedding(shape, tokens.storage, table, y));
    }

    @Override
    protected void runEmbeddingBackward(EmbeddingShape shape, ClIndexBuffer order, ClIndexBuffer starts, ClBuffer dy,
                                        ClBuffer dTable) {
        rt.within(KernelId.EMBEDDING_BACKWARD, () -> composites.embeddingBackward(shape, order.storage, starts.storage, dy, dTable));
    }

    @Override
    protected void runPool(PoolShape shape, ClIndexBuffer lengths, ClBuffer x, ClBuffer y) {
        rt.within(KernelId.POOL, () -> composites.pool(shape, lengths.storage, x, y));
    }

    @Override
    protected void runPoolBackward(PoolShape shape, ClIndexBuffer lengths, ClBuffer dy, ClBuffer dx) {
        rt.within(KernelId.POOL_BACKWARD, () -> composites.poolBackward(shape, lengths.storage, dy, dx));
    }

    @Override
    protected void runCrossEntropy(LossShape shape, ClBuffer logits, ClIndexBuffer targets, double scale, ClBuffer grad,
                                   ClBuffer scalars, int scalarsOffset) {
        rt.within(KernelId.CROSS_ENTROPY,
            () -> composites.crossEntropy(shape, logits, targets.storage, scale, grad, scalars, scalarsOffset));
    }

    @Override
    protected void runMse(LossShape shape, ClBuffer outputs, ClBuffer targets, ClIndexBuffer lengths, double scale,
                          ClBuffer grad, ClBuffer scalars, int scalarsOffset) {
        rt.within(KernelId.MSE, () -> composites.mse(shape, outputs, targets, lengths.storage, scale, grad, scalars, scalarsOffset));
    }

    @Override
    public void close() {
        rt.close();
    }
}
