package org.rtf4j.kernels.backend;

import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.Span;

/**
 * The optimiser and linear-algebra glue of a {@link Backend}: bias add and bias gradient, axpy, the
 * partial sums of squares for gradient clipping and the AdamW step.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface OptimiserKernels {

    /**
     * {@link KernelId#BIAS_ADD}: over the signal {@code y} (B, C, ℓ), {@code y[b,c,t] = bias[c] + y[b,c,t]} when
     * {@code accumulate}, else {@code y[b,c,t] = bias[c]} (the old y not read). Both orders of a linear layer
     * {@code y = W·x + bias} are available and give the same bits: a fill ({@code accumulate = false}) and then
     * the {@link DenseKernels#gemm} with α = β = 1 (the host {@code Linear.forward}'s order), or the gemm with β = 0 and then
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
}
