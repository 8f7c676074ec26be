package org.rtf4j.kernels.dense;

/**
 * Shape of {@code y[yOffset + i] += α·x[xOffset + i]} for i = 0 .. count−1: a range of {@code count} elements
 * in each of two flat buffers, at its own offset in each (0 and 0 for whole tensors; other offsets address one
 * tensor inside a flat buffer holding several). An immutable record validated at construction; it holds no
 * data and belongs to no backend.
 *
 * @param count   elements, ≥ 1
 * @param xOffset first element of x, ≥ 0
 * @param yOffset first element of y, ≥ 0
 */
public record AxpyShape(int count, int xOffset, int yOffset) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public AxpyShape {
        if (count < 1) {
            throw new IllegalArgumentException("axpy count must be ≥ 1, got " + count);
        }
        nonNegative("xOffset", xOffset, count);
        nonNegative("yOffset", yOffset, count);
    }

    /** {@code count} elements from the start of both buffers. */
    public static AxpyShape of(int count) {
        return new AxpyShape(count, 0, 0);
    }

    /** Elements of x the call reads: xOffset + count. */
    public long xLength() {
        return (long) xOffset + count;
    }

    /** Elements of y the call updates: yOffset + count. */
    public long yLength() {
        return (long) yOffset + count;
    }

    private static void nonNegative(String name, int v, int count) {
        if (v < 0) {
            throw new IllegalArgumentException("axpy " + name + " must be ≥ 0, got " + v);
        }
        if ((long) v + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("axpy " + name + " + count must be ≤ " + Integer.MAX_VALUE + ", got "
                + ((long) v + count));
        }
    }
}
