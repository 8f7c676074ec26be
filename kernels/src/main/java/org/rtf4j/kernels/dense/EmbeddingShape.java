package org.rtf4j.kernels.dense;

/**
 * Shape of the embedding gather and its scatter-add gradient: token ids (batch, length), stored flat as
 * {@code tokens[b·length + t]}, and a table (vocabulary, dim), row v at {@code table[v·dim ..]}, to vectors
 * (batch, dim, length), time contiguous: {@code y[(b·dim + h)·length + t] = table[tokens[b·length + t]·dim + h]}.
 * The backward sums the output gradient into the table's rows by token, through the positions grouped by
 * token that {@link TokenGroups} builds on the host.
 *
 * <p>Like the other shapes it is an immutable record validated at construction; it holds no data and belongs
 * to no backend.
 *
 * @param batch      sequences, ≥ 1
 * @param length     positions per sequence, ≥ 1
 * @param vocabulary rows of the table (token ids 0 .. vocabulary−1), ≥ 1
 * @param dim        columns of the table, the output's channels, ≥ 1
 */
public record EmbeddingShape(int batch, int length, int vocabulary, int dim) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public EmbeddingShape {
        positive("batch", batch);
        positive("length", length);
        positive("vocabulary", vocabulary);
        positive("dim", dim);
        fits("batch·dim·length", (long) batch * dim * length);
        fits("vocabulary·dim", (long) vocabulary * dim);
        fits("vocabulary + 1", (long) vocabulary + 1);
    }

    /** Token positions: batch·length (the length of the tokens and of a grouping's order). */
    public int positions() {
        return batch * length;
    }

    /** Elements of the output: batch·dim·length. */
    public int outputCount() {
        return batch * dim * length;
    }

    /** Elements of the table: vocabulary·dim. */
    public int tableCount() {
        return vocabulary * dim;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("embedding " + name + " must be ≥ 1, got " + v);
        }
    }

    private static void fits(String name, long v) {
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("embedding " + name + " must be ≤ " + Integer.MAX_VALUE + ", got " + v);
        }
    }
}
