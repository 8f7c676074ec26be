package org.rtf4j.train.data;

/**
 * What a model needs to know about a task to be built for it.
 *
 * @param name        task name, e.g. {@code copying}
 * @param vocabulary  number of input token ids (an embedding encoder) or 0 for real-valued inputs
 * @param inputChannels channels of real-valued inputs (a linear encoder); 0 for token inputs
 * @param outputs     number of classes (classification) or output channels (regression)
 * @param target      what is predicted
 * @param maxLength   the longest example; shorter examples are padded by the batcher and masked
 */
public record TaskSpec(String name, int vocabulary, int inputChannels, int outputs, Target target, int maxLength) {

    /** What a task predicts. */
    public enum Target {
        /** One class per sequence (pooled over the valid positions). */
        SEQUENCE_CLASS,
        /** One class per position; positions with target −1 are ignored by loss and accuracy. */
        TOKEN_CLASS,
        /** Real values per position and output channel, mean squared error. */
        REGRESSION
    }

    public TaskSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("task name must not be empty");
        }
        if ((vocabulary > 0) == (inputChannels > 0)) {
            throw new IllegalArgumentException("task " + name + ": exactly one of vocabulary (" + vocabulary
                + ") and inputChannels (" + inputChannels + ") must be positive");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("task " + name + ": outputs must be ≥ 1, got " + outputs);
        }
        if (target == null) {
            throw new IllegalArgumentException("task " + name + ": target must not be null");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("task " + name + ": maxLength must be ≥ 1, got " + maxLength);
        }
    }

    /** True when inputs are token ids. */
    public boolean tokens() {
        return vocabulary > 0;
    }
}
