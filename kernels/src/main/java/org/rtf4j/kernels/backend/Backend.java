package org.rtf4j.kernels.backend;

import java.util.Set;
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
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The seam between layers and the hardware: buffers as handles, kernels by identity ({@link KernelId}).
 * A layer written against this interface runs unchanged on every backend.
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
 * Each kernel method below states the error its tests hold it to, in one measure: for a result array y and
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
public interface Backend extends AutoCloseable {

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

    /**
     * {@link KernelId#FFT_COMPLEX}: {@code rows} in-place complex transforms of length n; row r occupies
     * {@code data[2*n*r .. 2*n*(r+1))}.
     *
     * <p><b>Accuracy.</b> float64: err ≤ 1e-11 against JTransforms for every n from 1 to 4100 (Bluestein
     * lengths included), with the inverse restoring the input within 1e-12; ≤ 1e-10 against the golden
     * files (11 lengths, 1 to 1024) and at the four-step lengths 4096, 8192, 32768, 65536. float32: ≤
     * 2e-6·log2 n against the golden files, against JTransforms at 17 lengths from 1 to 4097 and at the
     * four-step lengths, and for the round trip ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftComplex(int n, int rows, DeviceBuffer data, boolean inverse);

    /**
     * {@link KernelId#FFT_REAL_FORWARD}: for each row r, the first {@code inLength} (≤ n) reals at
     * {@code in[r*inStride ..]}, zero-padded to n, are transformed into the n/2+1 bins at
     * {@code out[2*(n/2+1)*r ..]}.
     *
     * <p><b>Accuracy.</b> float64: err ≤ 1e-11 against JTransforms for every n from 1 to 4100, ≤ 1e-10
     * against the golden files. Both precisions: within the values budget (float32 2e-6·log2 n) against the
     * golden files and for zero-padded rows (inLength 0, 1, n/2 ± 1, n/2, n − 1; 5 rows; n up to 32768),
     * within 4 times it for strided rows (n = 30). Powers of two from 2048 transform two rows at a time
     * and share their rounding: a row's error is relative to the larger row of its pair (tested with rows
     * 10⁴ apart) ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftRealForward(int n, int rows, DeviceBuffer in, int inStride, int inLength, DeviceBuffer out);

    /**
     * {@link KernelId#FFT_REAL_INVERSE}: for each row r, the n/2+1 bins at {@code in[2*(n/2+1)*r ..]} are
     * transformed to n reals (scaled 1/n, imaginary parts of bins 0 and n/2 ignored), of which the first
     * {@code outLength} (≤ n) are written to {@code out[r*outStride ..]}.
     *
     * <p><b>Accuracy.</b> float64: {@code fftRealForward} followed by this restores every n from 1 to 4100
     * within 1e-12; err ≤ 1e-10 against the golden files. float32: ≤ 2e-6·log2 n against the golden files.
     * Truncated outputs (outLength 0, 1, n/2 ± 1, n/2, n − 1; 5 rows; n up to 32768) from spectra rounded
     * to the buffer's precision are within 4 times the values budget of the original rows, and nothing past
     * outLength is written ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength);

    /**
     * {@link KernelId#RATIONAL_SPECTRUM}: from denominators {@code a} (numA, N), their margins {@code margin}
     * (numA), numerators {@code b} (H, N) and {@code h0} (H), computes with one batched real FFT of length P
     * the spectra {@code specA} (numA, P/2+1) of rows (1, a_1..a_N, 0..), {@code specB} (H, P/2+1) of rows
     * (0, b_1..b_N, 0..) and {@code specK = B/A_{g(c)} + h0} (H, P/2+1), g(c) = ⌊c·numA/H⌋; and in
     * {@code minMagnitude} (2·numA) for each denominator g the smallest relative magnitude
     * {@code |A_g[k]| / (1 + Σ|a_g,n|)} at index 2g and its bin k at index 2g+1.
     *
     * <p><b>Margins.</b> The caller passes {@code m_g = 1 − Σ_n|a_g,n|}, computed where it is known
     * exactly (under the l1-Montel constraint it is {@code (|s_g| + 1e-6)/Z_g}) or else in float64. For
     * m_g ≥ 0 (every root inside the disk by Montel's bound, and |A_g| ≥ m_g on the circle),
     * {@code A_g(z) = m_g + Σ_n (|a_g,n| + a_g,n z^−n)}, whose real part is m_g plus the non-negative terms
     * {@code |a_n|(1 ± cos nω)}: a sum without cancellation, while the FFT's sums (absolute error a few ulps
     * of 1 + Σ|a_n| times log2 P) and the rounded coefficients ({@code 1 + Σ fl(a_n)}) lose a small m_g.
     * So for m_g ≥ 0 every bin where the FFT gives {@code |A| < RationalShape.REFINE_BELOW·(1 + Σ|a|)} is
     * evaluated again directly in that form (O(N) per bin, the sines of exactly reduced integer ratios),
     * and the minimum magnitude is taken after that. A negative margin changes nothing (that form would
     * cancel too).
     *
     * <p><b>Accuracy.</b> specA, specB, specK and the kernel {@code irfft_P(specK)[0:ℓ]} are within the
     * values budget (float64 1e-10, float32 2e-6·log2 P) of the {@code rtf_kernel_*} golden files: N from 1
     * to 64, L up to 1000, stable denominators (roots inside the unit circle), shared and per-channel
     * denominators. For m_g ≥ 0 each refined bin has a relative error of a few ulps times N plus about
     * ulp·sqrt(2/|A_k|) (the imaginary part's, where its terms cancel), so float32 keeps the relative
     * accuracy of A, K and the kernel near a Montel margin of 1e-8, where the plain float32 FFT has none
     * ({@code RationalMarginTest} states the bounds). For a root on the unit circle the minimum magnitude
     * is 0 within 1e-15 (float64) at the right bin. Without a margin (m_g &lt; 0) the error of B/A grows as
     * |A| shrinks, so no such bound holds near a root on the circle; that is what minMagnitude is for
     * ({@code RationalSpectrumTest}).
     */
    void rationalSpectrum(RationalShape shape, DeviceBuffer a, DeviceBuffer margin, DeviceBuffer b, DeviceBuffer h0,
                          DeviceBuffer specA, DeviceBuffer specB, DeviceBuffer specK, DeviceBuffer minMagnitude);

    /**
     * {@link KernelId#RATIONAL_SPECTRUM_BACKWARD}: given the gradient {@code gk} (H, ℓ) of a scalar loss
     * with respect to the kernel {@code k = irfft_P(K)[0:ℓ]}, writes {@code da} (numA, N; summed over the
     * channels sharing a denominator), {@code db} (H, N) and {@code dh0} (H). {@code work} holds at least
     * {@link RationalShape#backwardWorkLength()} elements.
     *
     * <p><b>Accuracy.</b> da, db and dh0 are within the gradients budget (float64 1e-9, float32
     * 2e-5·log2 P) of the golden gradients of the {@code rtf_kernel_*} files (closed forms cross-checked
     * against PyTorch autograd in float64) ({@code RationalSpectrumTest}).
     */
    void rationalSpectrumBackward(RationalShape shape, DeviceBuffer gk, int ell, DeviceBuffer specA,
                                  DeviceBuffer specB, DeviceBuffer da, DeviceBuffer db, DeviceBuffer dh0,
                                  DeviceBuffer work);

    /**
     * {@link KernelId#FFT_CONV}: {@code y[b,h,t] = Σ_{j≤t} kf[h,t−j]·u[b,h,j]} (causal) plus, when
     * {@code shape.bidirectional()}, {@code Σ_{j>t} kb[h,j−t−1]·u[b,h,j]}. {@code kf}, {@code kb} are
     * (H, ℓ); {@code kb} is ignored (may be null) for causal shapes. Writes the kernel spectra at the
     * convolution length into {@code kSpec} (H, n/2+1) and the input spectra rfft_n(u) into {@code uSpec}
     * (B, H, n/2+1) for the backward pass, which then needs no transform of {@code u}.
     *
     * <p><b>Accuracy.</b> Against direct O(ℓ²) sums and direct DFTs in float64 (inputs uniform in [−1, 1],
     * ℓ ∈ {1, 2, 3, 5, 17, 127, 1000, 1024, 1047, 2048}, causal and two-sided): y and uSpec within 1e-10 in
     * float64 and 2e-6·log2 n·√ℓ in float32 (each output sums ℓ products); in float64 also at the explicit
     * odd FFT lengths 2ℓ − 1 and 2ℓ + 9, Bluestein lengths among them ({@code FftConvTest}).
     */
    void fftConv(ConvShape shape, DeviceBuffer kf, DeviceBuffer kb, DeviceBuffer u, DeviceBuffer y,
                 DeviceBuffer kSpec, DeviceBuffer uSpec);

    /**
     * {@link KernelId#FFT_CONV_BACKWARD}: from the kernel spectra {@code kSpec} and input spectra
     * {@code uSpec} of {@link #fftConv} (left unchanged) and the upstream gradient {@code gy} (B, H, ℓ),
     * writes {@code du} (B, H, ℓ), {@code dkf} (H, ℓ) and, when bidirectional, {@code dkb} (H, ℓ).
     *
     * <p><b>Accuracy.</b> On the cases of {@link #fftConv}: du, dkf and dkb within 1e-9 of the direct sums'
     * adjoints in float64 and 2e-5·log2 n·√ℓ in float32, with uSpec left bit for bit unchanged.
     * In float64 the adjoint identity {@code ⟨conv(k, u), w⟩ = ⟨u, du(w)⟩ = ⟨k, dk(w)⟩} holds within
     * {@code 1e-11·max(1, |⟨conv(k, u), w⟩|)·√(B·H·ℓ)} at ℓ = 1047 and 2048 ({@code FftConvTest}).
     */
    void fftConvBackward(ConvShape shape, DeviceBuffer kSpec, DeviceBuffer uSpec, DeviceBuffer gy,
                         DeviceBuffer du, DeviceBuffer dkf, DeviceBuffer dkb);

    /**
     * {@link KernelId#VANDERMONDE}: {@code k[h,l] = 2·Re Σ_m chat[h,m]·exp(l·logZ[h,m])}, l &lt; L, plus
     * {@code lag0[h]} at l = 0 when {@code lag0} is not null. {@code logZ}, {@code chat}: (H, M) complex;
     * {@code k}: (H, L).
     *
     * <p><b>Accuracy.</b> Against direct sums of {@code exp(l·logZ)} in float64 (|z| from e^−0.05 to
     * e^−0.0001, M = 7 modes, L ∈ {1, 2, 63, 64, 65, 1000, 8191}): within 1e-10 in float64, and within
     * 2e-5·M in float32 over the float32-rounded inputs at every L (the JVM kernel re-anchors the powers
     * from float64 values, so the error does not grow with L; the rounding of log z itself moves z^l by
     * about l·ε·|log z|, which is the input's error, not the kernel's). Within the values budget (float32
     * 2e-6·log2 L) of the
     * {@code s4d_kernel_*} golden kernels ({@code ModalKernelsTest}); through the S4D layer (H = 4, N = 64,
     * LegS), the float32 kernel at L = 16384 is within 2e-6·log2 L of the float64 one ({@code S4dLayerTest}).
     */
    void vandermonde(ModalShape shape, DeviceBuffer logZ, DeviceBuffer chat, DeviceBuffer lag0, DeviceBuffer k);

    /**
     * {@link KernelId#VANDERMONDE_BACKWARD}: for the loss gradient {@code gk} (H, L) of {@link #vandermonde},
     * {@code sums[h,m] = Σ_l gk[h,l]·z^l} and {@code weightedSums[h,m] = Σ_l l·gk[h,l]·z^l} (complex, (H, M)),
     * z = exp(logZ[h,m]), and {@code lag0Grad[h] = gk[h,0]}.
     *
     * <p><b>Accuracy.</b> On the cases of {@link #vandermonde}: sums within 1e-10 (float64) and 1e-4·√L
     * (float32), weightedSums, whose weights grow to L, within 1e-10·L and 1e-4·L·√L; lag0Grad exact
     * ({@code ModalKernelsTest}). Through the S4D layer, the parameter gradients are within the gradients
     * budget (float32 2e-5·log2 2L) of the {@code s4d_kernel_*} golden files ({@code S4dLayerTest}).
     */
    void vandermondeBackward(ModalShape shape, DeviceBuffer logZ, DeviceBuffer gk, DeviceBuffer sums,
                             DeviceBuffer weightedSums, DeviceBuffer lag0Grad);

    /**
     * {@link KernelId#CAUCHY}: the S4 (rank 1, bilinear) generating function at the L-th roots of unity,
     * {@code kHat} (H, L/2+1) complex: for bins k &lt; L/2, with {@code z_k = 2(1−ω_k)/(1+ω_k)},
     * {@code r_XY(k) = Σ_m v_XY,m/(z_k − w_m) + conj(v_XY,m)/(z_k − conj w_m)} and
     * {@code K̂_k = 2/(1+ω_k)·(r_0 − r_1 r_2/(1 + r_3))}; for even L the Nyquist bin is the limit
     * {@code Re Σ_m v_0,m}. {@code w} (H, M) complex is ΔΛ, {@code v} (4, H, M) complex holds
     * v_0 = ΔC̃B, v_1 = ΔC̃P, v_2 = ΔQB, v_3 = ΔQP (Q = conj P). A non-null {@code lag0} (H) is added to every
     * bin (a lag-0 term of the kernel).
     *
     * <p><b>Accuracy.</b> kHat and {@code irfft_L(kHat)} are within the values budget (float64 1e-10,
     * float32 2e-6·log2 L) of the golden spectrum and kernel of {@code s4_kernel_legs_bilinear} (HiPPO-LegS,
     * N = 8, L = 64; the kernel is also the impulse response of the dense bilinear recurrence), one golden
     * case ({@code ModalKernelsTest}).
     */
    void cauchy(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer lag0, DeviceBuffer kHat);

    /**
     * {@link KernelId#CAUCHY_BACKWARD}: from {@code gradSpectrum = rfft_L(gk)} (H, L/2+1) of the loss gradient
     * gk of {@code irfft_L(kHat)}, the gradients (PyTorch convention ∂/∂Re + i∂/∂Im) {@code gv} (4, H, M) and
     * {@code gw} (H, M) of {@link #cauchy}'s Cauchy part, {@code gamma[h]} = the Nyquist bin's real
     * gradient (0 for odd L) and {@code lag0Grad[h] = gk[h,0]}.
     *
     * <p><b>Accuracy.</b> float64: gv (with gamma added to the real part of the v_0 gradients, as the layer
     * does), gw and lag0Grad within 1e-7 of central differences (step 1e-6) of
     * {@code Σ gk·irfft_L(cauchy(w, v, lag0))} at L ∈ {2, 16, 17} ({@code ModalKernelsTest}). Through the S4
     * layer, the parameter gradients are within the gradients budget (float32 2e-5·log2 2L) of the golden
     * file ({@code S4LayerTest}).
     */
    void cauchyBackward(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer gradSpectrum,
                        DeviceBuffer gv, DeviceBuffer gw, DeviceBuffer gamma, DeviceBuffer lag0Grad);

    /**
     * {@link KernelId#GEMM}: the batched matrix product {@code C_b = α·op(A_b)·op(B_b) + β·C_b} described by
     * {@code shape} (row-major, leading dimensions, offsets, batch strides; with {@code strideC = 0} the
     * batches' products are summed into one C). Each element is one running sum over the batches and the
     * contracted index in order, then α·s + β·c; with β = 0 the old C is not read. {@code c} must be neither
     * {@code a} nor {@code b}; {@code a} and {@code b} may be one buffer.
     *
     * <p><b>Accuracy.</b> The JVM backend computes exactly that sum in the buffer's precision, whatever the
     * thread count: bit-identical to a plain loop over (b, p) in that precision ({@code GemmTest}); float32
     * is within (k·batch + 2)·ε of float64, per element relative to |α|·Σ|a|·|b| + |β|·|c|. OpenCL's elements
     * are within twice that (ε of the precision) of the JVM's ({@code OpenClGemmTest}); a device may fuse
     * the multiply-adds.
     */
    void gemm(GemmShape shape, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);

    /**
     * {@link KernelId#GELU}: {@code y[i] = gelu(x[i])} for the {@link ActivationShape#count()} elements, GELU in
     * its tanh form (PyTorch's {@code approximate='tanh'}) evaluated with one exponential that cannot overflow:
     * {@code 0.5·x·(1 + tanh u) = x·σ(2u)}, {@code u = √(2/π)·(x + 0.044715·x³)}, σ(2u) from
     * {@code w = exp(−2|u|)} as {@code 1/(1 + w)} (u ≥ 0) or {@code w/(1 + w)}. Large |x| give exactly x or −0;
     * a NaN in x gives NaN. {@code y} may be {@code x}.
     *
     * <p><b>Accuracy.</b> Against the textbook form {@code 0.5·x·(1 + Math.tanh(u))} in float64, per element:
     * the JVM's float64 within 4·2⁻⁵²·|x|, float32 (on float32 inputs) within 8·2⁻²⁴·|x|, for |x| up to 40 and
     * NaN propagated ({@code ActivationTest}); OpenCL within twice the JVM's bound of the JVM
     * ({@code OpenClActivationTest}). The bound is relative to |x|, not to |y|: where x ≪ 0 the textbook
     * form itself loses the small result to the cancellation in 1 + tanh u, which this form does not have.
     */
    void gelu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#GELU_BACKWARD}: {@code dx[i] = dy[i]·gelu'(x[i])} for the {@link ActivationShape#count()}
     * elements, with {@code gelu'(x) = s + 2x·s·(1−s)·√(2/π)·(1 + 3·0.044715·x²)}, {@code s = σ(2u)}
     * ({@code = ½(1 + tanh u) + ½x(1 − tanh²u)·u'(x)}), {@code s·(1 − s)} computed as {@code w/(1 + w)²}
     * (no cancellation); large |x| give exactly 1 or 0 (NaN once x² overflows, as in the textbook form). Any of the buffers may be the same.
     *
     * <p><b>Accuracy.</b> Against the textbook derivative with {@code Math.tanh} in float64, per element,
     * relative to {@code |dy|·m(x)}, {@code m(x) = 1 + |x|·(1 + 3·0.044715·x²)} (the size of the derivative's
     * terms): the JVM's float64 within 4·2⁻⁵², float32 within 8·2⁻²⁴, for |x| up to 40, NaN propagated
     * ({@code ActivationTest}); OpenCL within twice that of the JVM ({@code OpenClActivationTest}).
     */
    void geluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * {@link KernelId#GLU}: over the channel axis, {@code x} (B, C, ℓ) with C even to {@code y} (B, C/2, ℓ):
     * {@code y[b,h,t] = x[b,h,t]·σ(x[b,h+C/2,t])}, with {@code σ(v) = 1/(1 + e)} for v ≥ 0 and
     * {@code e/(1 + e)} otherwise, {@code e = exp(−|v|)} (no overflow). {@code y} must not be {@code x}.
     *
     * <p><b>Accuracy.</b> The JVM's float64 is bit-identical to those formulas evaluated in float64 (the host
     * model's GLU before it ran on this kernel); float32 within 8·2⁻²⁴·|a| of them (a = x[b,h,t]); OpenCL
     * within 8·2⁻⁵²·|a| (float64) and 16·2⁻²⁴·|a| (float32) of the JVM ({@code ActivationTest},
     * {@code OpenClActivationTest}).
     */
    void glu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#GLU_BACKWARD}: for the forward input {@code x} (B, C, ℓ) and the output gradient
     * {@code dy} (B, C/2, ℓ), writes {@code dx} (B, C, ℓ): {@code dx_a = dy·σ(g)}, {@code dx_g =
     * dy·a·σ(g)·(1 − σ(g))}. {@code dx} must be neither {@code x} nor {@code dy}.
     *
     * <p><b>Accuracy.</b> The JVM's float64 is bit-identical to those formulas in float64; float32 within
     * 8·2⁻²⁴·|dy| (dx_a) and 8·2⁻²⁴·|dy·a| (dx_g) of them; OpenCL within 8·2⁻⁵² (float64) and 16·2⁻²⁴
     * (float32) of the same scales of the JVM ({@code ActivationTest}, {@code OpenClActivationTest}).
     */
    void gluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);

    // ---- optimiser and linear-algebra glue (issue 15)

    /**
     * {@link KernelId#BIAS_ADD}: over the signal {@code y} (B, C, ℓ), {@code y[b,c,t] = bias[c] + y[b,c,t]} when
     * {@code accumulate}, else {@code y[b,c,t] = bias[c]} (the old y not read). Both orders of a linear layer
     * {@code y = W·x + bias} are available and give the same bits: a fill ({@code accumulate = false}) and then
     * the {@link #gemm} with α = β = 1 (the host {@code Linear.forward}'s order), or the gemm with β = 0 and then
     * this with {@code accumulate = true}; either way each element is {@code s + bias[c]} rounded once, s the
     * product's sum. {@code bias} (C elements) must not be {@code y}. NaN and ±inf propagate as in one addition.
     *
     * <p><b>Accuracy.</b> One IEEE addition (or a copy) per element: bit-identical to {@code bias[c] + y} in the
     * buffer's precision on every backend and thread count ({@code OptimKernelsTest}, {@code OpenClOptimTest}).
     */
    void biasAdd(BiasShape shape, DeviceBuffer bias, DeviceBuffer y, boolean accumulate);

    /**
     * {@link KernelId#BIAS_GRAD}: {@code db[c] += Σ_b Σ_t dy[b,c,t]} for the output gradient {@code dy} (B, C, ℓ),
     * in a fixed order that does not depend on the thread count or the device: per row (b, c) the blocked sum
     * over t of {@link #sumSquares} (without the squares), then {@code db[c] = ((db[c] + s_0) + s_1) + … + s_{B−1}}
     * over the rows' sums in batch order (the host {@code Linear.backward}'s order, with its sequential sum over t
     * replaced by the blocked one). {@code db} (C elements) must not be {@code dy}. A NaN or ±inf in a row makes
     * its channel's gradient non-finite.
     *
     * <p><b>Accuracy.</b> Per channel, {@code |db − exact| ≤ (40 + ⌈ℓ/8192⌉ + B)·u·(|db_old| + Σ_b Σ_t |dy|)},
     * u the unit roundoff of the buffer's precision (2⁻⁵³, 2⁻²⁴), against a compensated float64 sum of the
     * same inputs ({@code OptimKernelsTest}, also against central differences of {@link #biasAdd}); bit-identical
     * on 1, 2 and 3 threads; OpenCL within the same bound of the exact sum ({@code OpenClOptimTest}).
     */
    void biasGrad(BiasShape shape, DeviceBuffer dy, DeviceBuffer db);

    /**
     * {@link KernelId#AXPY}: {@code y[yOffset + i] = y[yOffset + i] + α·x[xOffset + i]} for i &lt; count (the
     * residual add with α = 1, gradient accumulation). {@code x} may be {@code y} when the two ranges are the
     * same or do not overlap; overlapping different ranges of one buffer are refused. NaN and ±inf propagate.
     *
     * <p><b>Accuracy.</b> The JVM computes {@code y + (α·x)} with two roundings, bit-identical to that loop on
     * any thread count; with α = 1 it is the one addition {@code y + x} on every backend (bit-identical to the
     * host model's residual loop). OpenCL may fuse the multiply-add (then α·x is not rounded on its own): within
     * {@code 3u·(|y| + |α·x|)} of the JVM ({@code OptimKernelsTest}, {@code OpenClOptimTest}).
     */
    void axpy(AxpyShape shape, double alpha, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#SUM_SQUARES}: {@code partials[slot] = Σ x[i]²} over the range {@code span} of {@code x}, so
     * that a model's k parameter tensors fill slots 0 .. k−1 with their squared gradient norms, read by
     * {@link #adamW} (the global norm for clipping) and by the host once per step (which tensor went bad).
     * {@code partials} is a small buffer of the same precision, other than {@code x}; the other slots are left
     * as they are.
     *
     * <p><b>Summation order</b> (every backend, so bit-identical for any thread count): the range is cut into
     * chunks of 8192 elements; in a chunk, lane j (0 ≤ j &lt; 256) sums the squares of its elements
     * {@code j, j + 256, j + 512, …} (at most 32) in order from 0; the 256 lane sums are added in a fixed tree
     * ({@code s[j] += s[j + h]} for h = 128, 64, …, 1); the chunk sums are added in chunk order from 0. A NaN
     * or ±inf anywhere, or squares that overflow, make the slot non-finite (NaN or +inf).
     *
     * <p><b>Accuracy.</b> {@code |partial − Σx²| ≤ (40 + ⌈n/8192⌉)·u·Σx²} (u as in {@link #biasGrad}), for n up
     * to 10⁶ about 1e-5 relative in float32; held against a compensated float64 sum ({@code OptimKernelsTest}),
     * on OpenCL too ({@code OpenClOptimTest}).
     */
    void sumSquares(Span span, DeviceBuffer x, DeviceBuffer partials, int slot);

    /**
     * {@link KernelId#ADAMW}: one AdamW update of the parameter tensor in range {@code span} of {@code param},
     * from its gradient and moments at the same range of {@code grad}, {@code m} and {@code v}, exactly as the host
     * the float64 update of {@code train.optim.AdamW} after global-norm clipping (formulas in {@link AdamWStep}): first the global norm
     * {@code ‖g‖ = √(partials[0] + … + partials[k−1])}, added in slot order from 0 (k = {@code partialCount} ≥ 1,
     * the squared norms of {@link #sumSquares} of every tensor of the model); the gradient is scaled by
     * {@code maxNorm/(‖g‖ + 1e-12)} when maxNorm &gt; 0 and ‖g‖ &gt; maxNorm (in the update only: {@code grad} is
     * read, not written); then per element {@code m ← β1·m + (1 − β1)·g}, {@code v ← β2·v + (1 − β2)·g·g},
     * {@code p ← p − lr·((m/c1)/(√(v/c2) + eps) + wd·p)}. <b>When ‖g‖ is not finite</b> (a partial is NaN or inf,
     * or their sum overflows) nothing is written: parameters and moments stay as they were, so the host can name
     * the bad tensor from the partials it reads and stop cleanly. The five buffers must be distinct.
     *
     * <p><b>Accuracy.</b> u is the unit roundoff of the buffer's precision (2⁻⁵³, 2⁻²⁴). The JVM's float64 is
     * bit-identical to the host formulas when no clipping happens (the scalars are the same doubles); with
     * clipping its norm is the blocked sum's, not the host's sequential one. Otherwise, per element, against the
     * host update in float64 on the same inputs over a run of updates: parameters within {@code 16·u·S_p},
     * {@code S_p = Σ (|p| + lr·(|m̂/(√v̂ + eps)| + wd·|p|))}, m within {@code 16·u·Σ (|m| + |g|)}, v within
     * {@code 16·u·Σ (|v| + g²)}, the sums over the run's updates (float32 scalars rounded to float32, 1 − β formed
     * in float64 first; measured at most 0.1 (float32) and 0.35 (float64 with clipping) of the bound on 4 updates,
     * with and without clipping, of 4 tensors of 1 to 20011 elements, one with its own rate, {@code OptimKernelsTest}); bit-identical on 1, 2 and 3 threads
     * and in a flat or a per-tensor layout. OpenCL within twice those bounds of the host update and of the JVM
     * ({@code OpenClOptimTest}).
     */
    void adamW(Span span, AdamWStep step, DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v,
               DeviceBuffer partials, int partialCount);
    // ---- normalisation and dropout (issue 15)

    /**
     * {@link KernelId#LAYER_NORM}: for {@code x} (B, C, ℓ) of {@code shape}, at each position (b, t) over the C
     * channels (stride ℓ): {@code mean = Σ_c x/C}, {@code var = Σ_c (x − mean)²/C} (two passes, channel order),
     * {@code invStd = 1/√(var + 1e-5)}, {@code y[b,c,t] = γ[c]·(x[b,c,t] − mean)·invStd + β[c]}; writes
     * {@code mean[b·ℓ + t]} and {@code invStd[b·ℓ + t]} ((B, ℓ) each) for {@link #layerNormBackward}. γ and β
     * have C elements. {@code y} may be {@code x}; {@code mean} and {@code invStd} are two buffers other than
     * x, y. A NaN or infinity in x makes every output of its position NaN.
     *
     * <p><b>Accuracy.</b> The JVM's float64 is bit-identical to those formulas evaluated in float64 in that order
     * (the host model's {@code LayerNorm}); float32 (on float32 inputs) within 2e-6·log2(2C) of them in the
     * {@code Check} measure (max error / max(1, max|reference|), per output: y, mean, invStd; measured 3.7e-7)
     * ({@code NormTest}). OpenCL within the same bound of the JVM, float64 within 1e-12 (bit for bit on PoCL's
     * CPU device, the tested one; {@code OpenClNormTest}).
     */
    void layerNorm(NormShape shape, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                   DeviceBuffer mean, DeviceBuffer invStd);

    /**
     * {@link KernelId#LAYER_NORM_BACKWARD}: for the forward's input {@code x}, its saved {@code mean} and
     * {@code invStd} and the output gradient {@code dy} (B, C, ℓ), with x̂ = (x − mean)·invStd and g = dy·γ:
     * {@code dx = invStd·(g − Σ_c g/C − x̂·Σ_c g·x̂/C)} at each position, and <b>adds</b>
     * {@code Σ_{b,t} dy·x̂} to {@code dGamma[c]} and {@code Σ_{b,t} dy} to {@code dBeta[c]} (gradient
     * accumulation: zero them first for a plain gradient). The sums over (b, t) are deterministic, the same
     * on any thread count: per row (b, c) over t in chunks of {@value NormShape#CHUNK} positions (each chunk in
     * order, the chunk sums in order), then over b in order, then added. {@code dx} may be {@code dy}; it is
     * none of the others, and dGamma is not dBeta.
     *
     * <p><b>Accuracy.</b> float64: dx, dγ, dβ within 1e-9 of central differences of Σ w·y and within 1e-12 of a
     * float64 reference of the host's formulas; float32 within 4e-6·log2(2n) of it, n = max(C, B·ℓ) the longest
     * sum, in the {@code Check} measure (measured 3.4e-7) ({@code NormTest}). OpenCL within the same bounds of the
     * JVM (bit for bit on PoCL; {@code OpenClNormTest}). Where the channels' variance is tiny (C = 1: x̂ = 0,
     * invStd = 1/√1e-5) dx is a difference of nearly equal terms times invStd; the JVM and the device compute it
     * with every product rounded (no fused multiply-add), so they agree there too.
     */
    void layerNormBackward(NormShape shape, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer invStd,
                           DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dGamma, DeviceBuffer dBeta);

    /**
     * {@link KernelId#BATCH_NORM}: per channel c of {@code x} (B, C, ℓ), with n = Σ_b lengths[b] valid
     * positions (t &lt; lengths[b]; lengths, an index buffer of B values, is clamped to [0, ℓ]; null means
     * every position is valid). Training: {@code mean = Σ_valid x/n}, {@code v = Σ_valid (x − mean)²}
     * (two passes), {@code var = v/n}; the running statistics are updated as PyTorch's BatchNorm1d (momentum
     * 0.1): {@code runningMean = 0.9·runningMean + 0.1·mean}, {@code runningVar = 0.9·runningVar + 0.1·v/(n−1)}
     * (the unbiased variance; var itself when n = 1). Eval: {@code mean = runningMean}, {@code var =
     * runningVar}, nothing updated. Then every position, padding included, gets
     * {@code y = γ·(x − mean)·invStd + β}, {@code invStd = 1/√(var + 1e-5)}; {@code mean} and {@code invStd}
     * (C each) are written for {@link #batchNormBackward}. The valid sums are deterministic: per row (b, c)
     * over t &lt; lengths[b] in chunks of {@value NormShape#CHUNK} (each in order, chunk sums in order), then over b in
     * order. A NaN or infinity at a valid position makes its channel's statistics and outputs NaN (in training);
     * a channel without valid positions gets NaN statistics (0/0), as the host model. {@code y} may be
     * {@code x}; the statistics buffers are distinct from each other and from x, y.
     *
     * <p><b>Accuracy.</b> float64 within 1e-12 of a float64 reference of the host model's {@code BatchNorm}
     * (y, mean, invStd, the running statistics); float32 within 2e-6·log2(2n), n = max(C, B·ℓ), in the
     * {@code Check} measure (measured 2.8e-6 at B·ℓ = 1554) ({@code NormTest}); OpenCL within the same bounds of
     * the JVM (bit for bit on PoCL; {@code OpenClNormTest}).
     */
    void batchNorm(NormShape shape, boolean training, DeviceBuffer x, IndexBuffer lengths, DeviceBuffer gamma,
                   DeviceBuffer beta, DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y, DeviceBuffer mean,
                   DeviceBuffer invStd);

    /**
     * {@link KernelId#BATCH_NORM_BACKWARD}: with the forward's {@code mean}, {@code invStd}, x̂ = (x − mean)·invStd,
     * the valid positions and n of {@link #batchNorm}: {@code sdy = Σ_valid dy}, {@code sdyx = Σ_valid dy·x̂}
     * per channel (same deterministic order); <b>adds</b> sdyx to {@code dGamma[c]} and sdy to {@code dBeta[c]};
     * {@code dx = γ·invStd·(dy − sdy/n − x̂·sdyx/n)} at valid positions in training, and {@code γ·invStd·dy} at
     * padding positions and in eval (the statistics do not depend on them), as the host model.
     * {@code dx} may be {@code dy}; it is none of the others, and dGamma is not dBeta.
     *
     * <p><b>Gradient.</b> This is the exact gradient of Σ dy·y when dy is zero at the padding positions (the model
     * masks the gradient there, {@link #maskPadding}): then dx is 0 at the padding. A nonzero dy at the padding is
     * not propagated into the statistics (the padding outputs depend on mean and invStd), as in the host model.
     *
     * <p><b>Accuracy.</b> float64: within 1e-9 of central differences of Σ w·y (w zero at the padding; training
     * and eval) and within 1e-12 of a float64 reference of the host's formulas; float32 within 4e-6·log2(2n),
     * n = max(C, B·ℓ), of it in the {@code Check} measure (measured 1.3e-6) ({@code NormTest}); OpenCL within the
     * same bounds of the JVM (bit for bit on PoCL; {@code OpenClNormTest}).
     */
    void batchNormBackward(NormShape shape, boolean training, DeviceBuffer x, IndexBuffer lengths, DeviceBuffer gamma,
                           DeviceBuffer mean, DeviceBuffer invStd, DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dGamma,
                           DeviceBuffer dBeta);

    /**
     * {@link KernelId#DROPOUT}: {@code y = x·scale} where the mask of {@code shape} keeps the element and
     * {@code y = 0·x} (a signed zero; NaN for a NaN or infinite x, as the host's {@code m·x}) where it drops it,
     * scale = 1/(1 − p) rounded to the buffer's precision. The mask is {@link DropoutShape}'s: Philox4x32-10
     * bits of (seed, step, layer, mask index), integer arithmetic only, so every backend and precision drops
     * the same elements; with {@code tied} one decision per (b, c) for every t. p = 0 copies x. {@code y} may
     * be {@code x}.
     *
     * <p><b>Accuracy.</b> Exact: each output is the product of x and 0 or the rounded scale, so float64 and
     * float32 results on every backend are that product bit for bit, and the masks of every backend and precision
     * are the same ({@code DropoutTest}, {@code OpenClNormTest}; {@code DropoutTest} also checks Philox against
     * Random123's known answers, the keep fraction and the independence of neighbouring decisions).
     */
    void dropout(DropoutShape shape, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#DROPOUT_BACKWARD}: {@code dx = dy·mask}, the mask of the forward with the same
     * {@code shape} regenerated from its counter (no mask is stored). {@code dx} may be {@code dy}.
     *
     * <p><b>Accuracy.</b> Exact, as {@link #dropout}.
     */
    void dropoutBackward(DropoutShape shape, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * {@link KernelId#MASK_PADDING}: sets {@code x[b,c,t] = 0} for every t ≥ lengths[b] (lengths: B values,
     * clamped to [0, ℓ]), in place; valid positions are untouched (NaN there stays).
     *
     * <p><b>Accuracy.</b> Exact ({@code NormTest}, {@code OpenClNormTest}).
     */
    void maskPadding(NormShape shape, IndexBuffer lengths, DeviceBuffer x);
    // ---- ends of the model: embedding, pooling, losses (issue 15)

    /**
     * {@link KernelId#EMBEDDING}: {@code y[(b·H + h)·ℓ + t] = table[tokens[b·ℓ + t]·H + h]} for the
     * {@link EmbeddingShape}'s (B, ℓ) token ids, (V, H) table and (B, H, ℓ) output. A token outside [0, V)
     * reads nothing: its H outputs are NaN (the caller validates tokens on the host when it builds the batch,
     * as {@link org.rtf4j.kernels.dense.TokenGroups} does; the NaN makes a slip visible downstream instead of
     * reading out of bounds). {@code y} must not be {@code table}.
     *
     * <p><b>Accuracy.</b> A copy: every backend writes exactly the table's values ({@code EmbeddingTest},
     * {@code OpenClEndsTest}).
     */
    void embedding(EmbeddingShape shape, IndexBuffer tokens, DeviceBuffer table, DeviceBuffer y);

    /**
     * {@link KernelId#EMBEDDING_BACKWARD}: ACCUMULATES the table gradient, {@code dTable[v·H + h] += Σ dy[(b·H +
     * h)·ℓ + t]} over the positions p = b·ℓ + t holding token v, given as {@code order[starts[v] .. starts[v+1])}
     * ({@link org.rtf4j.kernels.dense.TokenGroups}: order has B·ℓ entries, starts V + 1). Each (v, h) is one
     * running sum that starts from the old {@code dTable} value and adds the positions in the order given
     * (the grouping's increasing p: the host model's order), so the result depends on neither the thread count
     * nor the device: no atomics. Offsets in {@code starts} are clamped to [0, B·ℓ]; a position outside
     * [0, B·ℓ) in {@code order} makes its row's H sums NaN. {@code dTable} must not be {@code dy}.
     *
     * <p><b>Accuracy.</b> Additions only, each rounded once in the buffer's precision: the JVM's float64 is bit
     * for bit the host model's loop, and every backend gives the same bits on the same grouping
     * ({@code EmbeddingTest}, {@code OpenClEndsTest}).
     */
    void embeddingBackward(EmbeddingShape shape, IndexBuffer order, IndexBuffer starts, DeviceBuffer dy,
                           DeviceBuffer dTable);

    /**
     * {@link KernelId#POOL}: x (B, C, ℓ) to y (B, C) over each sequence's valid positions, n = {@code lengths[b]}
     * (B values): MEAN {@code y[b,c] = (Σ_{t<n} x[b,c,t]) / n} with the sum in {@link LossShape}'s pairwise
     * order, LAST {@code y[b,c] = x[b,c,n−1]}. Positions t ≥ n are not read. A length outside [1, ℓ] gives NaN
     * for its C outputs. {@code y} must not be {@code x}.
     *
     * <p><b>Accuracy.</b> LAST is a copy. MEAN: within {@code (BLOCK + log2 ℓ + 2)·u·(Σ_{t<n}|x|)/n} of the exact
     * mean, u = 2⁻⁵³ (float64) or 2⁻²⁴ (float32), BLOCK = {@value LossShape#BLOCK}, the same bits on any thread
     * count ({@code PoolTest}); OpenCL's within 4·u·|y| of the JVM's (the pairwise sum is the same, the device's
     * division need not be correctly rounded) ({@code OpenClEndsTest}).
     */
    void pool(PoolShape shape, IndexBuffer lengths, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#POOL_BACKWARD}: writes every element of dx (B, C, ℓ) from dy (B, C): MEAN
     * {@code dx[b,c,t] = dy[b,c] / n} for t &lt; n, LAST {@code dx[b,c,n−1] = dy[b,c]}, 0 elsewhere (n =
     * {@code lengths[b]}). A length outside [1, ℓ] makes the sequence's whole gradient NaN. {@code dx} must not
     * be {@code dy}.
     *
     * <p><b>Accuracy.</b> One division per element (MEAN) or a copy: the JVM's float64 is bit for bit the host
     * model's {@code g / n}; OpenCL within 4·u·|dx| of the JVM ({@code PoolTest}, {@code OpenClEndsTest}).
     */
    void poolBackward(PoolShape shape, IndexBuffer lengths, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * {@link KernelId#CROSS_ENTROPY}: softmax cross-entropy of logits (B, K, ℓ) (class axis stride ℓ; one class
     * per sequence is ℓ = 1, logits (B, K)) against {@code targets[b·ℓ + t]} (B·ℓ values). A target y in [0, K)
     * is counted: with m = max_c z_c (for numerical stability), its loss is {@code (m − z_y) + log Σ_c exp(z_c − m)}
     * and its gradient column {@code grad[c] = (softmax(z)_c − [c = y])·scale}; it is correct when the first
     * largest logit (the host model's argmax) is y. A negative target is ignored: gradient 0, nothing counted.
     * A target ≥ K is invalid: gradient NaN, loss NaN (so the loss sum is NaN) and counted in
     * {@link LossShape#INVALID}. The caller passes {@code scale} = 1/count (it knows the count from the batch).
     * Writes the whole gradient, and {@link LossShape#SCALARS} scalars at
     * {@code scalars[scalarsOffset ..]}: {@link LossShape#LOSS_SUM} (summed over the counted targets in
     * {@link LossShape}'s pairwise order, not divided), {@link LossShape#CORRECT}, {@link LossShape#COUNT} and
     * {@link LossShape#INVALID}. {@code grad} may be {@code logits} (each column is read before it is written);
     * {@code scalars} must be neither.
     *
     * <p><b>Accuracy.</b> With u = 2⁻⁵³ (float64) or 2⁻²⁴ (float32) and the float64 values of the same inputs:
     * each gradient element within {@code (2K + 8)·u·|scale|}; the loss sum within
     * {@code (2K + BLOCK + log2(B·ℓ) + 4)·u·Σ(1 + loss_i)} over the counted targets; the counts exact (below
     * 2²⁴); the same bits on any thread count ({@code LossTest}). OpenCL within twice those bounds of the
     * JVM, counts equal ({@code OpenClEndsTest}).
     */
    void crossEntropy(LossShape shape, DeviceBuffer logits, IndexBuffer targets, double scale, DeviceBuffer grad,
                      DeviceBuffer scalars, int scalarsOffset);

    /**
     * {@link KernelId#MSE}: squared error of outputs (B, K, ℓ) against real targets of the same layout over the
     * valid positions t &lt; n = {@code lengths[b]} (B values): {@code d = y − target}, gradient {@code 2·d·scale}
     * there and 0 at padding (the caller passes {@code scale} = 1/count, count = K·Σ lengths, as the host model
     * divides by it), and {@link LossShape#SCALARS} scalars at {@code scalars[scalarsOffset ..]}:
     * {@link LossShape#LOSS_SUM} = Σ d² over the valid elements in {@link LossShape}'s pairwise order (the sum of
     * squares; the mean is it times scale), {@link LossShape#CORRECT} = 0, {@link LossShape#COUNT} = the valid
     * elements and {@link LossShape#INVALID} = the sequences whose length is outside [1, ℓ], whose gradients
     * and loss are NaN. A NaN or infinite target propagates to its gradient and the sum. {@code grad} may be
     * {@code outputs}; {@code scalars} must be neither of them nor {@code targets}.
     *
     * <p><b>Accuracy.</b> With u as for {@link #crossEntropy}: each gradient element within
     * {@code 4·u·|2·d·scale|}, the sum of squares within {@code (BLOCK + log2(B·K·ℓ) + 3)·u·Σd²}, the count
     * exact, the same bits on any thread count ({@code LossTest}); OpenCL within twice those bounds of the JVM
     * ({@code OpenClEndsTest}).
     */
    void mse(LossShape shape, DeviceBuffer outputs, DeviceBuffer targets, IndexBuffer lengths, double scale,
             DeviceBuffer grad, DeviceBuffer scalars, int scalarsOffset);

    /** Releases the backend's resources (threads, scratch, device context). */
    @Override
    void close();
}
