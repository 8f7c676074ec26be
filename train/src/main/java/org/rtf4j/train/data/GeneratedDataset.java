package org.rtf4j.train.data;

/**
 * Base of a generated task: every example is a pure function of (seed, split, index). The training split
 * accepts any index ≥ 0 (fresh examples each epoch); the test split is the fixed set of indices below its size,
 * drawn from a random stream distinct from the training stream.
 */
abstract class GeneratedDataset implements Dataset {

    private static final long TRAIN_STREAM = 0x7452414E;  // "tRAN"
    private static final long TEST_STREAM = 0x54455354;   // "TEST"

    private final TaskSpec spec;
    private final long seed;
    private final int trainSize;
    private final int testSize;

    GeneratedDataset(TaskSpec spec, long seed, int trainSize, int testSize) {
        this.spec = spec;
        this.seed = seed;
        this.trainSize = trainSize;
        this.testSize = testSize;
    }

    @Override
    public final TaskSpec spec() {
        return spec;
    }

    @Override
    public final int size(Split split) {
        return split == Split.TRAIN ? trainSize : testSize;
    }

    @Override
    public final boolean generatesFreshTrainingExamples() {
        return true;
    }

    @Override
    public final Example get(Split split, long index) {
        if (index < 0 || (split == Split.TEST && index >= testSize)) {
            throw new IndexOutOfBoundsException("task " + spec.name() + ": " + split.label() + " index expected in [0, "
                + (split == Split.TEST ? String.valueOf(testSize) : "∞") + "), got " + index);
        }
        return generate(Rng.of(seed, split == Split.TRAIN ? TRAIN_STREAM : TEST_STREAM, index));
    }

    /** One example from its own generator. */
    abstract Example generate(Rng rng);
}
