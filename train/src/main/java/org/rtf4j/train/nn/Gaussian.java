package org.rtf4j.train.nn;

import java.util.SplittableRandom;

/** Standard normal deviates by Box–Muller from a {@link SplittableRandom}: reproducible across JDKs. */
public final class Gaussian {
    private Gaussian() {
    }

    public static double next(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log1p(-u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }
}
