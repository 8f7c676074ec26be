package org.rtf4j.kernels.dense;

/**
 * Shape of the elementwise activations of a model, on (batch, channels, length) signals stored row-major,
 * time contiguous: element (b, c, t) at {@code (b·channels + c)·length + t}.
 * <ul>
 *   <li>GELU and its backward act on each of the {@link #count()} elements alone; only the count matters
 *       ({@link #elements(int)} describes a flat array).</li>
 *   <li>GLU splits the input's channels in halves, a (channels 0 .. C/2−1) and g (C/2 .. C−1), and writes
 *       (batch, C/2, length): {@code y[b,h,t] = a[b,h,t]·σ(g[b,h,t])}; its {@code channels} must be even
 *       (checked by the GLU kernels, not here).</li>
 * </ul>
 * Like the other shapes it is an immutable record validated at construction; it holds no data and belongs
 * to no backend.
 *
 * @param batch    signals, ≥ 1
 * @param channels channels of the input, ≥ 1
 * @param length   positions per channel, ≥ 1
 */
public record ActivationShape(int batch, int channels, int length) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public ActivationShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        long n = (long) batch * channels * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("activation batch·channels·length must be ≤ " + Integer.MAX_VALUE + ", got "
                + n);
        }
    }

    /** A flat array of {@code count} elements, as (1, 1, count). */
    public static ActivationShape elements(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("activation count must be ≥ 1, got " + count);
        }
        return new ActivationShape(1, 1, count);
    }

    /** Elements of the input: batch·channels·length. */
    public int count() {
        return batch * channels * length;
    }

    /** Channels of GLU's output, channels / 2. */
    public int half() {
        return channels / 2;
    }

    /** Elements of GLU's output: batch·(channels/2)·length. */
    public int gluOutputCount() {
        return batch * half() * length;
    }

    /**
     * Checks that GLU can split the channels.
     *
     * @throws IllegalArgumentException when {@code channels} is odd
     */
    public void requireEvenChannels() {
        if (channels % 2 != 0) {
            throw new IllegalArgumentException("GLU channels must be even, got " + channels);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("activation " + name + " must be ≥ 1, got " + v);
        }
    }
}
