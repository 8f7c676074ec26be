/**
 * Optimisation: {@link org.rtf4j.train.optim.AdamW} (decoupled weight decay, with its own learning rate
 * and weight decay for the parameters tagged SSM, global-norm clipping), the warm-up + cosine
 * learning-rate factor {@link org.rtf4j.train.optim.CosineSchedule}, and
 * {@link org.rtf4j.train.optim.FiniteValues} (the finiteness check of host parameters that names the
 * parameter and index).
 *
 * <p>AdamW updates the model's weights on the backend (their moments are backend buffers, read back for
 * checkpoints) and the SSM layers' host parameters in float64. A non-finite or exploding value stops
 * training with a {@link org.rtf4j.train.optim.TrainingDivergedException} naming the step, the layer and the
 * parameter. Used by {@link org.rtf4j.train.Trainer}, one thread at a time.
 */
package org.rtf4j.train.optim;
