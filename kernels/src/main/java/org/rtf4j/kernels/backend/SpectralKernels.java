package org.rtf4j.kernels.backend;

import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The spectral kernels of a {@link Backend}: the rational spectrum, the FFT convolution, the modal
 * Vandermonde and Cauchy kernels, each with its backward.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface SpectralKernels {

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
}
