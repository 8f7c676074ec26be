package org.rtf4j.train.data;

/**
 * One example of a task. Exactly one of {@code tokens} and {@code features} is non-null, as is exactly
 * one of the targets that the task's {@link TaskSpec.Target} names.
 *
 * @param length   number of valid positions (≤ the task's max length)
 * @param tokens   token ids, {@code length} of them, each in [0, vocabulary)
 * @param features real inputs, channel-major: {@code features[c*length + t]}
 * @param label    the class of a {@link TaskSpec.Target#SEQUENCE_CLASS} task, else −1
 * @param targetTokens per-position classes of a {@link TaskSpec.Target#TOKEN_CLASS} task (−1 = ignored)
 * @param targetValues per-position values of a {@link TaskSpec.Target#REGRESSION} task,
 *                     channel-major: {@code targetValues[c*length + t]}
 */
public record Example(int length, int[] tokens, float[] features, int label, int[] targetTokens, float[] targetValues) {

    /** A token-input sequence classification example. */
    public static Example tokens(int[] tokens, int label) {
        return new Example(tokens.length, tokens, null, label, null, null);
    }

    /** A real-input sequence classification example with {@code channels} channels. */
    public static Example features(float[] features, int channels, int label) {
        return new Example(features.length / channels, null, features, label, null, null);
    }
}
