package org.rtf4j.kernels.backend;

import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;

/**
 * The normalisation kernels of a {@link Backend}: layer norm, batch norm (over valid positions), dropout
 * and the masking of padded positions, each with its backward where it has one.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface NormKernels {

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
}
