/**
 * The model and its ops, each with an explicit backward pass: {@link org.rtf4j.train.nn.SequenceModel}
 * (encoder, residual blocks, final norm, pooling, decoder; architecture in
 * {@link org.rtf4j.train.nn.ModelConfig}), {@link org.rtf4j.train.nn.Linear},
 * {@link org.rtf4j.train.nn.Embedding}, {@link org.rtf4j.train.nn.LayerNorm},
 * {@link org.rtf4j.train.nn.BatchNorm}, {@link org.rtf4j.train.nn.Gelu}, {@link org.rtf4j.train.nn.Glu},
 * {@link org.rtf4j.train.nn.Dropout}, {@link org.rtf4j.train.nn.Pooling}, {@link org.rtf4j.train.nn.Masks} and
 * the losses ({@link org.rtf4j.train.nn.Loss}).
 *
 * <p><b>Conventions.</b> Activations are (B, C, ℓ) float64 arrays, time contiguous, padded to the batch's
 * longest example; padding is zeroed before every SSM layer and excluded from normalisation statistics,
 * pooling, losses and accuracy. Initialisations follow PyTorch's defaults; randomness (initialisation,
 * dropout masks) comes from seeds, never from a shared generator. Every op's gradient is checked through
 * the whole model against central differences ({@code SequenceModelGradientTest}).
 *
 * <p><b>Threads.</b> Host ops split their work into independent index ranges, each writing its own
 * outputs, so results do not depend on scheduling. A model is used by one thread at a time; it owns its
 * layers (created through {@code org.rtf4j.models}) and closes them, while the backend stays the caller's.
 *
 * <p><b>Profile.</b> {@link org.rtf4j.train.nn.HostProfile} times the host ops (per op kind, summed over
 * blocks) into the backend's kernel-level profile, beside the SSM layers' kernels; off by default, and then
 * without a clock read.
 */
package org.rtf4j.train.nn;
