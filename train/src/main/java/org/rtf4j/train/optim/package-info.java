/**
 * Optimisation: {@link org.rtf4j.train.optim.AdamW} (decoupled weight decay, with its own learning rate
 * and weight decay for the parameters tagged SSM), the warm-up + cosine learning-rate factor
 * {@link org.rtf4j.train.optim.CosineSchedule}, and {@link org.rtf4j.train.optim.Gradients} (global norm,
 * clipping, scaling and a finiteness check that names the parameter and index).
 *
 * <p>All of it works in place on the float64 host arrays of {@link org.rtf4j.layer.Parameter}; AdamW owns its
 * moment arrays, which checkpoints save and restore. A non-finite or exploding value stops training with a
 * {@link org.rtf4j.train.optim.TrainingDivergedException} naming the step, the layer and the parameter.
 * Used by {@link org.rtf4j.train.Trainer}, one thread at a time.
 */
package org.rtf4j.train.optim;
