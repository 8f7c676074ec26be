/**
 * Shapes of the dense kernels: {@link org.rtf4j.kernels.dense.GemmShape}, the batched general matrix
 * product {@code C = α·op(A)·op(B) + β·C} over row-major matrices with leading dimensions, offsets and
 * batch strides, of which the channel mixing of a model (a linear layer over B·ℓ positions, its weight
 * gradient and its input gradient) is three instances; and {@link org.rtf4j.kernels.dense.ActivationShape},
 * the (batch, channels, length) signals of the elementwise activations (GELU, GLU over the channel axis).
 * The ends of a model: {@link org.rtf4j.kernels.dense.EmbeddingShape} (token ids to vectors and the gradient's
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
