package org.rtf4j.kernels.backend;

import java.util.Set;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.spectral.ConvShape;

/**
 * The seam between layers and the hardware: buffers as handles, kernels by identity ({@link KernelId}).
 * A layer written against this interface runs unchanged on every backend.
 *
 * <h2>Parts</h2>
 * This interface holds the backend's identity, its buffers and transfers and its lifecycle; the kernels are
 * declared by job in the interfaces it extends: {@link FftKernels}, {@link SpectralKernels} (rational spectrum,
 * FFT convolution, Vandermonde, Cauchy), {@link DenseKernels} (GEMM, activations), {@link OptimiserKernels}
 * (bias, axpy, sums of squares, AdamW), {@link NormKernels} (layer and batch norm, dropout, padding mask) and
 * {@link ModelEndKernels} (embedding, pooling, losses). Every contract below applies to all of them.
 *
 * <h2>Layouts (every backend)</h2>
 * <ul>
 *   <li>Real tensors are row-major; signals are (B, H, ℓ) with time contiguous: element
 *       {@code u[(b*H + h)*ℓ + t]}.</li>
 *   <li>Complex data are <b>interleaved</b>: element j of a complex row is {@code (x[2j], x[2j+1])} =
 *       (re, im). A real spectrum of length n has exactly {@code n/2 + 1} bins, so one spectrum row holds
 *       {@code 2*(n/2+1)} elements.</li>
 *   <li>Forward transforms are unscaled, inverse transforms are scaled by 1/n (numpy's convention).</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * Every kernel checks that its buffers are large enough and of one precision and throws
 * {@link IllegalArgumentException} otherwise. Output buffers must not alias inputs unless a method says
 * so. A backend is used by one thread at a time per call; concurrent calls are serialized.
 *
 * <h2>Waiting</h2>
 * A device backend queues kernels, writes, device copies and fills and returns without waiting for them;
 * they run in the order they were made. The host blocks on the device ("host wait") only in a blocking
 * {@code read}/{@code readAdd}, in {@link PendingRead#await()} of a read that is not yet complete, when
 * the profile is read ({@link #profiler()}) and at {@link #close()}; the profiler counts these waits. A
 * device error of a queued command surfaces at the next wait, as an {@link IllegalStateException} naming the
 * operations involved. The JVM backend computes every call before it returns.
 *
 * <h2>Accuracy</h2>
 * Each kernel method (in the kernel interfaces listed below) states the error its tests hold it to, in one
 * measure: for a result array y and
 * a float64 reference r, {@code err = max_i |y_i − r_i| / max(1, max_i |r_i|)}, the largest error relative
 * to the largest reference magnitude (absolute where that is below 1). n is the longest FFT on the kernel's
 * path and ε = 2<sup>−24</sup> ≈ 6.0e-8 the float32 unit roundoff. The budgets most kernels are held to:
 * <ul>
 *   <li>float64: values ≤ 1e-10, gradients ≤ 1e-9;</li>
 *   <li>float32: values ≤ 2e-6·log2 n (about 34·ε·log2 n), gradients ≤ 2e-5·log2 n (about
 *       336·ε·log2 n).</li>
 * </ul>
 * These are the tolerances the kernel tests assert on the JVM backend (test helper {@code testing.Check}),
 * on inputs of magnitude about 1 (uniform in [−1, 1], or the parameters of the golden files): measured
 * bounds, not proofs for every input; an ill-conditioned input (a denominator near zero) can exceed them.
 * Against a golden file (float64 numbers computed from the unrounded inputs, see the golden README) a
 * float32 error includes the rounding of the inputs; the other references (JTransforms 3.1 in float64,
 * direct sums in float64) are computed from the inputs as rounded to the buffer's precision, so they
 * measure the kernel's own arithmetic.
 *
 * <p>The OpenCL backend is held to the JVM backend's results on the same inputs ({@code OpenClKernelsTest}):
 * the FFTs within the values budget (and the golden FFT files on the device), the rational spectrum, the
 * convolution (×√ℓ in float32) and their backwards within the gradients budget, the Vandermonde pair within
 * 1e-4·√L in float32 (1e-10·√L in float64) and the Cauchy pair within 1e-3 (1e-9); float64 only on devices
 * with {@code cl_khr_fp64}. The device Vandermonde and Cauchy kernels compute their powers, anchors and
 * sums in double only on such devices (the tested one, PoCL's CPU device, is one); elsewhere they run in
 * float32, so their float32 accuracy depends on the device.
 */
public interface Backend extends FftKernels, SpectralKernels, DenseKernels, OptimiserKernels, NormKernels,
    ModelEndKernels, AutoCloseable {

    /** Short backend name, e.g. {@code jvm}. */
    String name();

    /** Human-readable device description (logged once when the backend is created). */
    String deviceDescription();

    /**
     * The kernel-level profile: OpenCL event times on a device (always recorded), or wall-clock time per
     * kernel call on the JVM (recorded while {@code JvmBackend.setProfiling} is on). A device backend first
     * waits for its queued commands (a counted host wait when any are pending), so the profile is complete.
     */
    org.rtf4j.kernels.profile.Profiler profiler();

    /**
     * Whether the kernel times of {@link #profiler()} are device event times (a device backend: the host
     * only queues the work) rather than the wall-clock time of synchronous calls (the JVM backend).
     */
    default boolean timesDeviceEvents() {
        return false;
    }

    /**
     * Whether this backend's buffers are arrays on the JVM heap (the JVM backend), so that a layer counts
     * them against the heap it checks before allocating; device buffers live in device memory.
     */
    default boolean buffersOnHeap() {
        return false;
    }

    /** Threads that run this backend's kernels on the host (the JVM backend's workers); 0 for a device. */
    default int hostWorkers() {
        return 0;
    }

    /**
     * Builds what the backend compiles before its first kernel call (the OpenCL programs of every precision
     * the device runs), so that a first call can be timed without it; nothing to do on the JVM.
     */
    default void build() {
    }

    /** Kernels this backend implements. */
    Set<KernelId> kernels();

    /**
     * How this backend runs a complex transform of length {@code n >= 1}; which lengths are fast differs
     * per backend. The JVM runs every 7-smooth n (2^a·3^b·5^c·7^d) by Stockham and only the other lengths
     * by Bluestein; OpenCL runs powers of two in local memory (one launch, or a four-step transform of two)
     * and every other length by Bluestein (two power-of-two transforms of length ≥ 2n − 1 plus the chirp
     * products). A real transform of even length n runs a complex one of n/2, of odd n one of n. The convolution's length is each
     * backend's own ({@link #convolutionFftLength}), chosen so that it never takes Bluestein there.
     */
    ComplexFftPlan.Algorithm fftAlgorithm(int n);

    /**
     * The FFT length n this backend's convolution uses for input length ℓ ≥ 1: the smallest n ≥ 2ℓ whose
     * real transform is fast here (never Bluestein by {@link #fftAlgorithm}). The JVM's is the smallest
     * even 7-smooth n ({@code JvmBackend.smoothFftLength}), OpenCL's the smallest power of two
     * ({@code OpenClBackend.powerOfTwoFftLength}). Layers build their shapes with it
     * ({@link ConvShape#of(int, int, int, boolean, Backend)}) and size estimates ask it, in long, for any
     * length; a length beyond {@link ConvShape#MAX_LENGTH} gets a lower bound (such a shape is refused).
     *
     * @throws IllegalArgumentException when {@code length < 1}
     */
    long convolutionFftLength(long length);

    /**
     * Bytes this backend holds now: buffers allocated by callers and not closed, plus its own scratch and
     * tables. Buffers are allocated per shape and scratch only grows, so after a call this is that call's
     * peak.
     */
    long liveBytes();

    /** Allocates a zero-filled buffer. */
    DeviceBuffer allocate(Precision precision, int length);

    /**
     * Copies {@code length} values from a host array into {@code dst[dstOffset ..]}, rounding to its precision
     * (to the nearest float for a float32 buffer, as a {@code (float)} cast; {@code ReadAddTest}). The host
     * array may be changed as soon as this returns (a device backend has staged the values; it does not wait
     * for the copy).
     */
    void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length);

    /** Copies {@code length} values from a host array into {@code dst[dstOffset ..]}; as the float64 variant. */
    void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length);

    /**
     * Copies {@code length} values of {@code src[srcOffset ..]} into a host array. On a device backend this
     * blocks until the values are there, and so until every earlier call's work is complete.
     */
    void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length);

    /**
     * Adds {@code length} values of {@code src[srcOffset ..]} to a host array: {@code dst[dstOffset + i] +=
     * src[srcOffset + i]} (how layers accumulate parameter gradients). The default reads into a temporary
     * array; backends whose buffers live on the heap add in one pass.
     *
     * <p><b>Accuracy.</b> Exactly {@code read} followed by one float64 addition per element (float32 values
     * widen exactly): the JVM backend's one-pass version and this default give the same doubles, also when
     * the work is spread over workers ({@code ReadAddTest}).
     */
    default void readAdd(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        if (dst == null) {
            throw new IllegalArgumentException("dst must not be null");
        }
        if (dstOffset < 0 || length < 0 || (long) dstOffset + length > dst.length) {
            throw new IllegalArgumentException("dst range [" + dstOffset + ", " + ((long) dstOffset + length)
                + ") is outside [0, " + dst.length + ")");
        }
        double[] t = new double[length];
        read(src, srcOffset, t, 0, length);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] += t[i];
        }
    }

    /** Copies {@code length} values of {@code src[srcOffset ..]} into a host array (float64 buffers are rounded). */
    void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length);

    /**
     * Starts copying {@code length} values of {@code src[srcOffset ..]} into {@code dst[dstOffset ..]} without
     * waiting for the device: the values are there once {@link PendingRead#await()} returned (see
     * {@link PendingRead} for what may be done with {@code src} and {@code dst} meanwhile). A layer reads what
     * it needs mid-call this way and awaits it after the call's final blocking {@code read}, which completes it,
     * so the call blocks once. The JVM backend copies at once and returns {@link PendingRead#DONE}. Arguments
     * are checked as {@code read}'s, here and now.
     */
    PendingRead readLater(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length);

    /**
     * As {@link #readLater}, but adds the values to {@code dst} as {@link #readAdd} does ({@code dst[dstOffset
     * + i] += src[srcOffset + i]}, the same doubles); the JVM backend adds at once.
     */
    PendingRead readAddLater(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length);

    /** Sets every element of the buffer to zero. */
    void zero(DeviceBuffer buffer);

    /**
     * A zero-filled array of {@code length ≥ 0} integers on this backend, counted in {@link #liveBytes()}
     * (4 bytes each).
     *
     * @throws IllegalArgumentException when {@code length} is negative
     */
    IndexBuffer allocateIndices(int length);

    /**
     * Copies {@code src[srcOffset .. srcOffset+length)} into {@code dst[dstOffset ..]}; like {@link #write}
     * it may be queued, the values taken before it returns.
     *
     * @throws IllegalArgumentException naming the buffer or array whose range is outside it
     */
    void writeIndices(IndexBuffer dst, int dstOffset, int[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset .. srcOffset+length)} into {@code dst[dstOffset ..]} after every command
     * queued before it (a blocking read, like {@link #read}).
     *
     * @throws IllegalArgumentException naming the buffer or array whose range is outside it
     */
    void readIndices(IndexBuffer src, int srcOffset, int[] dst, int dstOffset, int length);

    /** Releases the backend's resources (threads, scratch, device context). */
    @Override
    void close();
}
