package org.rtf4j.train.data;

/**
 * A small deterministic random generator (SplitMix64) whose output is fixed by this source file alone: no
 * JDK algorithm, no platform-dependent math ({@link StrictMath} for the Gaussian), so an example generated from
 * a seed and an index is bit-identical on every JVM and machine.
 */
final class Rng {

    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** The generator of one example: task seed, a stream id (e.g. the split) and the example index. */
    static Rng of(long seed, long stream, long index) {
        long s = mix(seed ^ 0x5DEECE66DL);
        s = mix(s ^ mix(stream + 0x9E3779B97F4A7C15L));
        s = mix(s ^ mix(index * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L));
        return new Rng(s);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, bound), unbiased. */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [lo, hi] (both inclusive). */
    int nextInt(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Standard normal by the Box–Muller transform (one value per call, the pair's second value dropped). */
    double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }
}
