package org.rtf4j.kernels.dense;

/**
 * A contiguous range {@code [offset, offset + count)} of flat buffers: one parameter tensor, its gradient and
 * its moments, whether each lives in a buffer of its own (offset 0) or in a flat buffer holding every tensor
 * of a model at the same offsets. {@code SUM_SQUARES} and {@code ADAMW} act on such a range. An immutable
 * record validated at construction; it holds no data and belongs to no backend.
 *
 * @param offset first element, ≥ 0
 * @param count  elements, ≥ 1
 */
public record Span(int offset, int count) {

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public Span {
        if (offset < 0) {
            throw new IllegalArgumentException("span offset must be ≥ 0, got " + offset);
        }
        if (count < 1) {
            throw new IllegalArgumentException("span count must be ≥ 1, got " + count);
        }
        if ((long) offset + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("span offset + count must be ≤ " + Integer.MAX_VALUE + ", got "
                + ((long) offset + count));
        }
    }

    /** The first {@code count} elements. */
    public static Span of(int count) {
        return new Span(0, count);
    }

    /** One past the last element: offset + count (the length a buffer needs). */
    public int end() {
        return offset + count;
    }
}
