package org.rtf4j.train.data;

/**
 * A task's examples, addressed by index and deterministic in it: the same index gives the same example on
 * every machine and in every run, which is what makes training reproducible and resumable.
 *
 * <p>{@link #size} is the number of distinct examples of a split; a generated task's training split may
 * return fresh examples for any index ≥ 0 (the trainer asks for {@code epoch*size + i}), while a fixed
 * dataset requires {@code index < size}.
 */
public interface Dataset {

    /** What the model must be built for. */
    TaskSpec spec();

    /** Number of examples in a split (one epoch). */
    int size(Split split);

    /** True when {@link #get} accepts any non-negative training index (fresh generated examples). */
    default boolean generatesFreshTrainingExamples() {
        return false;
    }

    /** The example of a split at an index. */
    Example get(Split split, long index);
}
