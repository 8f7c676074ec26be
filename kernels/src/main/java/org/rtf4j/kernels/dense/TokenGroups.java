package org.rtf4j.kernels.dense;

/**
 * The positions of a batch of tokens grouped by token id, for the embedding's scatter-add gradient
 * ({@code Backend.embeddingBackward}): a stable counting sort, built on the host when the batch is built
 * (the host holds the token ids then). Positions are the flat indices {@code p = b·length + t} of the tokens
 * array; {@code order[starts[v] .. starts[v+1])} are the positions holding token v in increasing order, so
 * {@code starts} has vocabulary + 1 entries, {@code starts[0] = 0} and {@code starts[vocabulary]} = the number of
 * positions. Summing a row's gradient over its positions in this order is the host model's order (b, then t).
 *
 * @param order  the positions, grouped by token, increasing within a token
 * @param starts vocabulary + 1 offsets into {@code order}
 */
public record TokenGroups(int[] order, int[] starts) {

    /**
     * Groups {@code count} token ids, each in [0, vocabulary), into {@code order} (at least count entries)
     * and {@code starts} (at least vocabulary + 1 entries), without allocating.
     *
     * @throws IllegalArgumentException naming the first token outside [0, vocabulary) and its position, or an
     *                                  array that is null or too short
     */
    public static void build(int[] tokens, int count, int vocabulary, int[] order, int[] starts) {
        if (vocabulary < 1) {
            throw new IllegalArgumentException("vocabulary must be ≥ 1, got " + vocabulary);
        }
        need("tokens", tokens, count);
        need("order", order, count);
        need("starts", starts, (long) vocabulary + 1);
        java.util.Arrays.fill(starts, 0, vocabulary + 1, 0);
        for (int p = 0; p < count; p++) {
            int v = tokens[p];
            if (v < 0 || v >= vocabulary) {
                throw new IllegalArgumentException("tokens[" + p + "] must be in [0, " + vocabulary + "), got " + v);
            }
            starts[v + 1]++;
        }
        for (int v = 0; v < vocabulary; v++) {
            starts[v + 1] += starts[v];
        }
        // starts[v] is now where token v's positions begin; fill through a moving cursor, then restore it
        for (int p = 0; p < count; p++) {
            order[starts[tokens[p]]++] = p;
        }
        for (int v = vocabulary; v > 0; v--) {
            starts[v] = starts[v - 1];
        }
        starts[0] = 0;
    }

    /**
     * The grouping of every entry of {@code tokens} (each in [0, vocabulary)) in new arrays.
     *
     * @throws IllegalArgumentException as {@link #build}
     */
    public static TokenGroups of(int[] tokens, int vocabulary) {
        if (tokens == null) {
            throw new IllegalArgumentException("tokens must not be null");
        }
        if (vocabulary < 1 || vocabulary == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vocabulary must be in [1, " + (Integer.MAX_VALUE - 1) + "], got " + vocabulary);
        }
        int[] order = new int[tokens.length];
        int[] starts = new int[vocabulary + 1];
        build(tokens, tokens.length, vocabulary, order, starts);
        return new TokenGroups(order, starts);
    }

    private static void need(String name, int[] a, long length) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (length < 0 || a.length < length) {
            throw new IllegalArgumentException(name + " has " + a.length + " entries, expected at least " + length);
        }
    }
}
