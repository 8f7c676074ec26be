/**
 * Training: the loop ({@link org.rtf4j.train.Trainer}: micro-batches with gradient accumulation, finiteness
 * and explosion checks, clipping, AdamW on a cosine schedule, periodic evaluation), its configuration
 * ({@link org.rtf4j.train.TrainConfig}, stored in every checkpoint), padded batches
 * ({@link org.rtf4j.train.Batch}), evaluation, metrics files and checkpoints
 * ({@link org.rtf4j.train.Checkpoints}: safetensors, written atomically, newest two kept).
 *
 * <p><b>Determinism.</b> Everything random is a function of the seed and the step, so the same seed,
 * backend, thread count and JDK give a bit-identical loss curve, and a run resumed from a checkpoint
 * continues the same curve. A checkpoint of another configuration, or whose tensors do not fit the model,
 * is refused with one line naming what differs.
 *
 * <p><b>Subpackages.</b> {@code nn} holds the model and its ops with explicit backward passes,
 * {@code optim} the optimiser, schedule and gradient checks, {@code data} the tasks and the data cache. The
 * SSM layers come from {@code org.rtf4j.models} and run on the backend the caller passes in (and closes);
 * everything else is float64 host code. Files go through {@code org.rtf4j.formats}.
 */
package org.rtf4j.train;
