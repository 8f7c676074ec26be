package org.rtf4j.kernels.dense;

/**
 * Shape of the pooling over the valid positions of each sequence: x (batch, channels, length), time contiguous,
 * to y (batch, channels), with each sequence's valid length {@code lengths[b]} in [1, length] (positions
 * t ≥ lengths[b] are padding and never read).
 * <ul>
 *   <li>{@link Mode#MEAN}: {@code y[b,c]} = the mean of {@code x[b,c,t]} over t &lt; lengths[b], the sum in
 *       the fixed pairwise order of {@link LossShape#BLOCK}-element blocks that the losses use;</li>
 *   <li>{@link Mode#LAST}: {@code y[b,c] = x[b,c,lengths[b]−1]}.</li>
 * </ul>
 * Like the other shapes it is an immutable record validated at construction; it holds no data and belongs
 * to no backend.
 *
 * @param batch    sequences, ≥ 1
 * @param channels channels, ≥ 1
 * @param length   positions per channel, ≥ 1
 * @param mode     what is pooled, not null
 */
public record PoolShape(int batch, int channels, int length, Mode mode) {

    /** What a pooling keeps of a sequence. */
    public enum Mode {
        /** The mean over the valid positions. */
        MEAN,
        /** The value at the last valid position. */
        LAST
    }

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public PoolShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        if (mode == null) {
            throw new IllegalArgumentException("pooling mode must be MEAN or LAST, got null");
        }
        long n = (long) batch * channels * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pooling batch·channels·length must be ≤ " + Integer.MAX_VALUE + ", got " + n);
        }
    }

    /** Elements of the input: batch·channels·length. */
    public int inputCount() {
        return batch * channels * length;
    }

    /** Elements of the output: batch·channels. */
    public int outputCount() {
        return batch * channels;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("pooling " + name + " must be ≥ 1, got " + v);
        }
    }
}
