package org.rtf4j.kernels.backend;

import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;

/**
 * The kernels at the ends of a model on a {@link Backend}: the token embedding, the pooling over valid
 * positions, and the cross-entropy and mean-squared-error losses with their gradients.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface ModelEndKernels {

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
}
