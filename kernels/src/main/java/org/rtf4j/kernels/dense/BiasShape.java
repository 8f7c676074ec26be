package org.rtf4j.kernels.dense;

/**
 * Shape of a bias over the channels of (batch, channels, length) signals stored row-major, time contiguous:
 * element (b, c, t) at {@code (b·channels + c)·length + t}, the bias a vector of {@code channels} values.
 * {@code BIAS_ADD} adds (or writes) {@code bias[c]} at every (b, t); {@code BIAS_GRAD} sums the output gradient
 * over b and t into {@code db[c]}. Like the other shapes it is an immutable record validated at construction;
 * it holds no data and belongs to no backend.
 *
 * @param batch    signals, ≥ 1
 * @param channels channels (the bias's length), ≥ 1
 * @param length   positions per channel, ≥ 1
 */
public record BiasShape(int batch, int channels, int length) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public BiasShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        long n = (long) batch * channels * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bias batch·channels·length must be ≤ " + Integer.MAX_VALUE + ", got " + n);
        }
    }

    /** Elements of the signal: batch·channels·length. */
    public int count() {
        return batch * channels * length;
    }

    /** Rows (b, c) of the signal: batch·channels. */
    public int rows() {
        return batch * channels;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("bias " + name + " must be ≥ 1, got " + v);
        }
    }
}
