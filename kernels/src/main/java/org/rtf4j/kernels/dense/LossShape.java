package org.rtf4j.kernels.dense;

/**
 * Shape of the task losses: model outputs (batch, outputs, length), time contiguous, element (b, k, t) at
 * {@code (b·outputs + k)·length + t}. For softmax cross-entropy the outputs are logits over
 * {@code outputs} classes (class axis stride length) with one integer target per position
 * ({@code targets[b·length + t]}); one class per sequence is length 1, logits (batch, classes). For mean
 * squared error they are real values against real targets of the same layout, valid at t &lt; lengths[b].
 *
 * <h2>The scalars</h2>
 * A loss kernel writes its gradient and {@value #SCALARS} scalars into a caller buffer at an offset, so that a
 * training step reads back only those: {@link #LOSS_SUM} (the summed loss, not divided by the count),
 * {@link #CORRECT} (targets whose argmax is right; 0 for MSE), {@link #COUNT} (counted targets; elements for
 * MSE) and {@link #INVALID} (targets outside the classes; sequences with a length outside [1, length] for
 * MSE). Counts are exact up to 2<sup>24</sup> in float32.
 *
 * <h2>Summation order</h2>
 * The loss sum is over every position (element for MSE) in flat index order, each contributing its term or
 * 0: blocks of {@value #BLOCK} consecutive terms summed left to right from 0, and the block sums combined as
 * a binary counter would (block j merges with the stack top while j+1 has trailing zero bits), the remaining
 * stack summed from the top. This is a pairwise sum (error about (BLOCK + log2 n)·ε) that any split into
 * aligned runs of {@value #CHUNK} terms (a power of two times BLOCK) reproduces bit for bit, so every backend
 * computes it the same way on any thread count. Pooling's mean uses the same order over t.
 *
 * <p>Like the other shapes it is an immutable record validated at construction; it holds no data and belongs
 * to no backend.
 *
 * @param batch   sequences, ≥ 1
 * @param outputs classes (cross-entropy) or output channels (MSE), ≥ 1
 * @param length  positions per sequence (1 for one class per sequence), ≥ 1
 */
public record LossShape(int batch, int outputs, int length) {
    /** Number of scalars a loss writes. */
    public static final int SCALARS = 4;
    /** Offset of the summed loss (not divided by the count). */
    public static final int LOSS_SUM = 0;
    /** Offset of the number of correctly classified targets (0 for MSE). */
    public static final int CORRECT = 1;
    /** Offset of the number of counted targets (cross-entropy) or valid elements (MSE). */
    public static final int COUNT = 2;
    /** Offset of the number of invalid targets (cross-entropy) or invalid sequence lengths (MSE). */
    public static final int INVALID = 3;
    /** Terms per leaf block of the pairwise sums. */
    public static final int BLOCK = 16;
    /** Terms per aligned run of the pairwise sums that a backend may sum apart and combine ({@value #BLOCK}·64). */
    public static final int CHUNK = 1024;

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public LossShape {
        positive("batch", batch);
        positive("outputs", outputs);
        positive("length", length);
        long n = (long) batch * outputs * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("loss batch·outputs·length must be ≤ " + Integer.MAX_VALUE + ", got " + n);
        }
    }

    /** One class per sequence: logits (batch, classes), targets (batch). */
    public static LossShape perSequence(int batch, int classes) {
        return new LossShape(batch, classes, 1);
    }

    /** Positions: batch·length (the targets of cross-entropy, the lengths' domain). */
    public int positions() {
        return batch * length;
    }

    /** Elements of the outputs and the gradient: batch·outputs·length. */
    public int count() {
        return batch * outputs * length;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("loss " + name + " must be ≥ 1, got " + v);
        }
    }
}
