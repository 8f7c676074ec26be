package org.rtf4j.cli;

import java.util.Locale;

/**
 * Range checks of numeric options, run before any work: each failure is one line naming the option, what
 * it must be and what it was, e.g. {@code --examples must be ≥ 0, got -1}.
 */
final class Checks {
    /** Most worker threads the JVM backend accepts (as {@code JvmExecutor}). */
    static final int MAX_THREADS = org.rtf4j.kernels.jvm.JvmExecutor.MAX_THREADS;

    private Checks() {
    }

    /** {@code value ≥ min}. */
    static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be ≥ " + min + ", got " + value);
        }
    }

    /** {@code value ≥ min} when the option was given (null: not given). */
    static void atLeast(String option, Long value, long min) {
        if (value != null) {
            atLeast(option, value.longValue(), min);
        }
    }

    /** {@code value ≥ min} when the option was given (null: not given). */
    static void atLeast(String option, Integer value, long min) {
        if (value != null) {
            atLeast(option, value.longValue(), min);
        }
    }

    /** {@code min ≤ value ≤ max}. */
    static void inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** A finite {@code value ≥ min}. */
    static void atLeast(String option, double value, double min) {
        if (!(value >= min) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number ≥ " + text(min) + ", got " + text(value));
        }
    }

    /** A finite {@code value > 0}. */
    static void positive(String option, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(option + " must be a finite number > 0, got " + text(value));
        }
    }

    /** {@code min ≤ value < max}. */
    static void inHalfOpen(String option, double value, double min, double max) {
        if (!(value >= min && value < max)) {
            throw new IllegalArgumentException(option + " must be in [" + text(min) + ", " + text(max) + "), got "
                + text(value));
        }
    }

    /** {@code --threads} in [1, {@link #MAX_THREADS}] when given. */
    static void threads(Integer threads) {
        if (threads != null) {
            inRange("--threads", threads, 1, MAX_THREADS);
        }
    }

    /** A number as the user would write it: no trailing ".0". */
    static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
