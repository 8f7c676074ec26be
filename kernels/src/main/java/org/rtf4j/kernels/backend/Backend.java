package org.rtf4j.kernels.backend;

import java.util.Set;
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
 */
public interface Backend extends AutoCloseable {

    /** Short backend name, e.g. {@code jvm}. */
    String name();

    /** Human-readable device description (logged once when the backend is created). */
    String deviceDescription();

    /**
     * The kernel-level profile: OpenCL event times on a device (always recorded), or wall-clock time per
     * kernel call on the JVM (recorded while {@code JvmBackend.setProfiling} is on).
     */
    org.rtf4j.kernels.profile.Profiler profiler();

    /** Kernels this backend implements. */
    Set<KernelId> kernels();

    /**
     * How this backend runs a complex transform of length {@code n >= 1}; which lengths are fast differs
     * per backend. The JVM runs every 7-smooth n (2^a·3^b·5^c·7^d) by Stockham and only the other lengths
     * by Bluestein; OpenCL runs powers of two by radix-2 Stockham and every other length by Bluestein
     * (about three power-of-two transforms of length ≥ 2n − 1 plus the chirp products). A real transform
     * of even length n runs a complex one of n/2, of odd n one of n. {@link ConvShape#of} picks even
     * 7-smooth lengths, which avoid Bluestein on the JVM only.
     */
    ComplexFftPlan.Algorithm fftAlgorithm(int n);

    /**
     * Bytes this backend holds now: buffers allocated by callers and not closed, plus its own scratch and
     * tables. Buffers are allocated per shape and scratch only grows, so after a call this is that call's
     * peak.
     */
    long liveBytes();

    /** Allocates a zero-filled buffer. */
    DeviceBuffer allocate(Precision precision, int length);

    /** Copies {@code length} values from a host array into {@code dst[dstOffset ..]}, rounding to its precision. */
    void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length);

    /** Copies {@code length} values from a host array into {@code dst[dstOffset ..]}. */
    void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length);

    /** Copies {@code length} values of {@code src[srcOffset ..]} into a host array. */
    void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length);

    /**
     * Adds {@code length} values of {@code src[srcOffset ..]} to a host array: {@code dst[dstOffset + i] +=
     * src[srcOffset + i]} (how layers accumulate parameter gradients). The default reads into a temporary
     * array; backends whose buffers live on the heap add in one pass.
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

    /** Sets every element of the buffer to zero. */
    void zero(DeviceBuffer buffer);

    /**
     * {@link KernelId#FFT_COMPLEX}: {@code rows} in-place complex transforms of length n; row r occupies
     * {@code data[2*n*r .. 2*n*(r+1))}.
     */
    void fftComplex(int n, int rows, DeviceBuffer data, boolean inverse);

    /**
     * {@link KernelId#FFT_REAL_FORWARD}: for each row r, the first {@code inLength} (≤ n) reals at
     * {@code in[r*inStride ..]}, zero-padded to n, are transformed into the n/2+1 bins at
     * {@code out[2*(n/2+1)*r ..]}.
     */
    void fftRealForward(int n, int rows, DeviceBuffer in, int inStride, int inLength, DeviceBuffer out);

    /**
     * {@link KernelId#FFT_REAL_INVERSE}: for each row r, the n/2+1 bins at {@code in[2*(n/2+1)*r ..]} are
     * transformed to n reals (scaled 1/n, imaginary parts of bins 0 and n/2 ignored), of which the first
     * {@code outLength} (≤ n) are written to {@code out[r*outStride ..]}.
     */
    void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength);

    /**
     * {@link KernelId#RATIONAL_SPECTRUM}: from denominators {@code a} (numA, N), numerators {@code b} (H, N)
     * and {@code h0} (H), computes with one batched real FFT of length P the spectra
     * {@code specA} (numA, P/2+1) of rows (1, a_1..a_N, 0..), {@code specB} (H, P/2+1) of rows
     * (0, b_1..b_N, 0..) and {@code specK = B/A_{g(c)} + h0} (H, P/2+1), g(c) = ⌊c·numA/H⌋; and in
     * {@code minMagnitude} (2·numA) for each denominator g the smallest relative magnitude
     * {@code |A_g[k]| / (1 + Σ|a_g,n|)} at index 2g and its bin k at index 2g+1.
     */
    void rationalSpectrum(RationalShape shape, DeviceBuffer a, DeviceBuffer b, DeviceBuffer h0,
                          DeviceBuffer specA, DeviceBuffer specB, DeviceBuffer specK, DeviceBuffer minMagnitude);

    /**
     * {@link KernelId#RATIONAL_SPECTRUM_BACKWARD}: given the gradient {@code gk} (H, ℓ) of a scalar loss
     * with respect to the kernel {@code k = irfft_P(K)[0:ℓ]}, writes {@code da} (numA, N; summed over the
     * channels sharing a denominator), {@code db} (H, N) and {@code dh0} (H). {@code work} holds at least
     * {@link RationalShape#backwardWorkLength()} elements.
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
     */
    void fftConv(ConvShape shape, DeviceBuffer kf, DeviceBuffer kb, DeviceBuffer u, DeviceBuffer y,
                 DeviceBuffer kSpec, DeviceBuffer uSpec);

    /**
     * {@link KernelId#FFT_CONV_BACKWARD}: from the kernel spectra {@code kSpec} and input spectra
     * {@code uSpec} of {@link #fftConv} (left unchanged) and the upstream gradient {@code gy} (B, H, ℓ),
     * writes {@code du} (B, H, ℓ), {@code dkf} (H, ℓ) and, when bidirectional, {@code dkb} (H, ℓ).
     */
    void fftConvBackward(ConvShape shape, DeviceBuffer kSpec, DeviceBuffer uSpec, DeviceBuffer gy,
                         DeviceBuffer du, DeviceBuffer dkf, DeviceBuffer dkb);

    /**
     * {@link KernelId#VANDERMONDE}: {@code k[h,l] = 2·Re Σ_m chat[h,m]·exp(l·logZ[h,m])}, l &lt; L, plus
     * {@code lag0[h]} at l = 0 when {@code lag0} is not null. {@code logZ}, {@code chat}: (H, M) complex;
     * {@code k}: (H, L).
     */
    void vandermonde(ModalShape shape, DeviceBuffer logZ, DeviceBuffer chat, DeviceBuffer lag0, DeviceBuffer k);

    /**
     * {@link KernelId#VANDERMONDE_BACKWARD}: for the loss gradient {@code gk} (H, L) of {@link #vandermonde},
     * {@code sums[h,m] = Σ_l gk[h,l]·z^l} and {@code weightedSums[h,m] = Σ_l l·gk[h,l]·z^l} (complex, (H, M)),
     * z = exp(logZ[h,m]), and {@code lag0Grad[h] = gk[h,0]}.
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
     */
    void cauchy(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer lag0, DeviceBuffer kHat);

    /**
     * {@link KernelId#CAUCHY_BACKWARD}: from {@code gradSpectrum = rfft_L(gk)} (H, L/2+1) of the loss gradient
     * gk of {@code irfft_L(kHat)}, the gradients (PyTorch convention ∂/∂Re + i∂/∂Im) {@code gv} (4, H, M) and
     * {@code gw} (H, M) of {@link #cauchy}'s Cauchy part, {@code gamma[h]} = the Nyquist bin's real
     * gradient (0 for odd L) and {@code lag0Grad[h] = gk[h,0]}.
     */
    void cauchyBackward(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer gradSpectrum,
                        DeviceBuffer gv, DeviceBuffer gw, DeviceBuffer gamma, DeviceBuffer lag0Grad);

    /** Releases the backend's resources (threads, scratch, device context). */
    @Override
    void close();
}
