package org.rtf4j.train.optim;

/**
 * Learning-rate factor: linear warm-up from 1/warmup to 1 over {@code warmup} steps, then a half cosine
 * from 1 to 0 at {@code total} steps (the schedule of the paper's configurations).
 */
public record CosineSchedule(long warmup, long total) {
    public CosineSchedule {
        if (total < 1) {
            throw new IllegalArgumentException("total steps must be ≥ 1, got " + total);
        }
        if (warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException("warm-up steps must be in [0, " + total + "), got " + warmup);
        }
    }

    /** The factor for the update at {@code step} (0-based). */
    public double factor(long step) {
        if (step < warmup) {
            return (step + 1.0) / warmup;
        }
        double progress = (double) (step - warmup) / (total - warmup);
        return 0.5 * (1.0 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
