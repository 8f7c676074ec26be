package org.rtf4j.kernels.dense;

/**
 * Shape of the per-position kernels of a model on (batch, channels, length) signals stored row-major, time
 * contiguous (element (b, c, t) at {@code (b·channels + c)·length + t}): LayerNorm and BatchNorm (channel
 * parameters of {@code channels} elements, LayerNorm statistics of {@link #positions()} = batch·length
 * elements, BatchNorm statistics of {@code channels} elements) and the padding mask (positions
 * {@code t ≥ lengths[b]} of a batch with an index buffer of {@code batch} lengths).
 * Like the other shapes it is an immutable record validated at construction; it holds no data and belongs
 * to no backend.
 *
 * @param batch    signals, ≥ 1
 * @param channels channels, ≥ 1
 * @param length   positions per channel, ≥ 1
 */
public record NormShape(int batch, int channels, int length) {
    /**
     * Positions per chunk of the deterministic sums over positions (normalisation statistics and parameter
     * gradients): a row's positions are summed in chunks of this many, each in order, the chunk sums in order.
     */
    public static final int CHUNK = 64;

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public NormShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        long n = (long) batch * channels * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("norm batch·channels·length must be ≤ " + Integer.MAX_VALUE + ", got " + n);
        }
    }

    /** Elements of a signal: batch·channels·length. */
    public int count() {
        return batch * channels * length;
    }

    /** Positions (b, t): batch·length, the length of LayerNorm's saved statistics. */
    public int positions() {
        return batch * length;
    }

    /** Rows (b, c) of {@code length} positions: batch·channels. */
    public int rows() {
        return batch * channels;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("norm " + name + " must be ≥ 1, got " + v);
        }
    }
}
