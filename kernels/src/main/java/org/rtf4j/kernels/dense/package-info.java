/**
 * Shapes of the dense kernels: {@link org.rtf4j.kernels.dense.GemmShape}, the batched general matrix
 * product {@code C = α·op(A)·op(B) + β·C} over row-major matrices with leading dimensions, offsets and
 * batch strides, of which the channel mixing of a model (a linear layer over B·ℓ positions, its weight
 * gradient and its input gradient) is three instances; {@link org.rtf4j.kernels.dense.ActivationShape},
 * the (batch, channels, length) signals of the elementwise activations (GELU, GLU over the channel axis);
 * {@link org.rtf4j.kernels.dense.NormShape}, the signals of LayerNorm, BatchNorm (valid positions only) and the
 * padding mask; and {@link org.rtf4j.kernels.dense.DropoutShape}, an inverted dropout whose mask is drawn
 * from (seed, step, layer) and the element's index by {@link org.rtf4j.kernels.dense.Philox} (Philox4x32-10),
 * the same bits on every backend and precision.
 *
 * <p>Optimiser and linear-algebra glue (issue 15): {@link org.rtf4j.kernels.dense.BiasShape}, a bias over the
 * channels of such signals (bias add, bias gradient); {@link org.rtf4j.kernels.dense.AxpyShape}, a range in each
 * of two flat buffers for {@code y += α·x} (residual, gradient accumulation);
 * {@link org.rtf4j.kernels.dense.Span}, the range of one parameter tensor in flat buffers (its squared gradient
 * norm, its AdamW update); {@link org.rtf4j.kernels.dense.AdamWStep}, the scalars of one AdamW update.
 *
 * <p>The ends of a model: {@link org.rtf4j.kernels.dense.EmbeddingShape} (token ids to vectors and the gradient's
 * scatter-add, through the positions grouped by token on the host by {@link org.rtf4j.kernels.dense.TokenGroups},
 * a helper that holds the grouping, not a shape),
 * {@link org.rtf4j.kernels.dense.PoolShape} (masked mean or last pooling) and
 * {@link org.rtf4j.kernels.dense.LossShape} (softmax cross-entropy and MSE, the layout of the scalars a loss writes,
 * and the pairwise summation order every backend uses for the loss sums and the pooled mean).
 *
 * <p>Like the spectral shapes, a shape is an immutable record validated at construction that gives the
 * buffer lengths its kernel needs; it holds no data and belongs to no backend.
 */
package org.rtf4j.kernels.dense;
