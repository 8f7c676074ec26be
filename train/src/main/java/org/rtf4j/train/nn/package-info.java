/**
 * The model on a backend: {@link org.rtf4j.train.nn.SequenceModel} (encoder, residual blocks, final norm,
 * pooling, decoder and the task's loss; architecture in {@link org.rtf4j.train.nn.ModelConfig}),
 * {@link org.rtf4j.train.nn.Linear}, the blocks and norms, each op one or more backend kernels forward and
 * backward; {@link org.rtf4j.train.nn.Weight}, a trainable tensor held on the backend with its host view
 * (the {@link org.rtf4j.layer.Parameter} checkpoints and the interchange use).
 *
 * <p><b>Conventions.</b> Activations are (B, C, ℓ) backend buffers of the model's precision, time
 * contiguous, padded to the batch's longest example, allocated once per op for the largest batch seen and
 * reused; padding is zeroed before every SSM layer and excluded from normalisation statistics, pooling,
 * losses and accuracy. Initialisations follow PyTorch's defaults; randomness (initialisation, dropout
 * masks) comes from seeds, never from a shared generator. Every op's gradient is checked through the whole
 * model against central differences ({@code SequenceModelGradientTest}).
 *
 * <p><b>Threads.</b> The kernels run where the backend runs them (on the JVM backend, its one executor);
 * their results do not depend on the thread count. A model is used by one thread at a time; it owns its
 * layers (created through {@code org.rtf4j.models}) and buffers and closes them, while the backend stays the
 * caller's.
 *
 * <p><b>Profile.</b> The backend's profiler records every kernel; {@link org.rtf4j.train.nn.HostProfile}
 * adds the host work of a step (per kind) beside them; off by default, and then without a clock read.
 */
package org.rtf4j.train.nn;
