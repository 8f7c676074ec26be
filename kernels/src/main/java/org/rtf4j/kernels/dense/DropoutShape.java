package org.rtf4j.kernels.dense;

/**
 * Shape and mask of an inverted dropout on (batch, channels, length) signals stored row-major, time contiguous
 * (element (b, c, t) at {@code (b·channels + c)·length + t}): each element is kept and scaled by
 * {@link #scale()} = 1/(1 − p) or set to zero, by a decision drawn from {@link Philox} that depends only on
 * (seed, step, layer) and the element's mask index, so every backend and precision draws the same mask
 * bit for bit, and the backward pass regenerates it instead of storing it.
 *
 * <h2>The mask</h2>
 * <ul>
 *   <li>Mask index i: the element's flat index {@code (b·channels + c)·length + t}; with {@code tied} (one
 *       decision per (b, c) shared by every t, the residual dropout) the row index {@code b·channels + c}.</li>
 *   <li>Bits: word {@code i mod 4} of Philox4x32-10 with counter
 *       {@code (⌊i/4⌋, layer, low 32 bits of step, high 32 bits of step)} and key
 *       {@code (low 32 bits of seed, high 32 bits of seed)}; one generator call serves four consecutive
 *       indices.</li>
 *   <li>Keep test: with u the top 24 bits of the word (an integer in [0, 2²⁴)), keep iff
 *       {@code u ≥ ⌈p·2²⁴⌉} ({@link #threshold()}), which is exactly {@code u/2²⁴ ≥ p}: an integer
 *       comparison, the same in every precision. The probability of keeping is
 *       {@code 1 − ⌈p·2²⁴⌉/2²⁴}, within 2⁻²⁴ of 1 − p.</li>
 * </ul>
 * p = 0 keeps everything with scale 1: the identity.
 *
 * @param batch    signals, ≥ 1
 * @param channels channels, ≥ 1
 * @param length   positions per channel, ≥ 1
 * @param p        drop probability, in [0, 1)
 * @param tied     one decision per (b, c) for all t
 * @param seed     the run's seed (any value)
 * @param step     the update's number, ≥ 0
 * @param layer    the dropout site's number in the model, ≥ 0 (distinct sites draw independent masks)
 */
public record DropoutShape(int batch, int channels, int length, double p, boolean tied, long seed, long step, int layer) {
    /** 2²⁴: the resolution of the keep test. */
    public static final int RESOLUTION = 1 << 24;

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public DropoutShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("length", length);
        long n = (long) batch * channels * length;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dropout batch·channels·length must be ≤ " + Integer.MAX_VALUE + ", got " + n);
        }
        if (!(p >= 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("dropout p must be in [0, 1), got " + p);
        }
        if (step < 0) {
            throw new IllegalArgumentException("dropout step must be ≥ 0, got " + step);
        }
        if (layer < 0) {
            throw new IllegalArgumentException("dropout layer must be ≥ 0, got " + layer);
        }
    }

    /** The same mask parameters at another step. */
    public DropoutShape atStep(long newStep) {
        return new DropoutShape(batch, channels, length, p, tied, seed, newStep, layer);
    }

    /** The same mask parameters with one decision per (b, c) (tied). */
    public DropoutShape withTied() {
        return new DropoutShape(batch, channels, length, p, true, seed, step, layer);
    }

    /** Elements of the signal: batch·channels·length. */
    public int count() {
        return batch * channels * length;
    }

    /** Decisions drawn: batch·channels when tied, else {@link #count()}. */
    public int decisions() {
        return tied ? batch * channels : count();
    }

    /** ⌈p·2²⁴⌉, in [0, 2²⁴]: keep iff the top 24 bits of the word are at least this (exact: p·2²⁴ is). */
    public int threshold() {
        return (int) Math.ceil(p * RESOLUTION);
    }

    /** The inverted-dropout scale 1/(1 − p), in float64 (rounded to the buffer's precision by the kernels). */
    public double scale() {
        return 1.0 / (1.0 - p);
    }

    /** Key word 0: the low 32 bits of the seed. */
    public int key0() {
        return (int) seed;
    }

    /** Key word 1: the high 32 bits of the seed. */
    public int key1() {
        return (int) (seed >>> 32);
    }

    /** Counter word 2: the low 32 bits of the step. */
    public int step0() {
        return (int) step;
    }

    /** Counter word 3: the high 32 bits of the step. */
    public int step1() {
        return (int) (step >>> 32);
    }

    /** Whether mask index {@code i} (in [0, {@link #decisions()})) is kept: the definition above, on the host. */
    public boolean keeps(int i) {
        int w = Philox.word(i >>> 2, layer, step0(), step1(), key0(), key1(), i & 3);
        return (w >>> 8) >= threshold();
    }

    /** Whether element (b, c, t) is kept. */
    public boolean keeps(int b, int c, int t) {
        int row = b * channels + c;
        return keeps(tied ? row : row * length + t);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("dropout " + name + " must be ≥ 1, got " + v);
        }
    }
}
