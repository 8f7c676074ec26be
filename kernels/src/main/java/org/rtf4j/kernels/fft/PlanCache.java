package org.rtf4j.kernels.fft;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Process-wide cache of immutable plans (plans hold only tables, so sharing them is safe). Each kind of
 * plan lives in a table sorted by length that is replaced as a whole when a length is added, so a lookup
 * is a lock-free binary search that allocates nothing, however many lengths are in use (a map keyed by
 * {@code Integer} would box every length above 127 on every call).
 */
final class PlanCache {
    private static final Plans<ComplexFftPlan> COMPLEX = new Plans<>(ComplexFftPlan::create);
    private static final Plans<RealFftPlan> REAL = new Plans<>(RealFftPlan::create);
    private static final Plans<FourStepPlan> FOUR_STEP = new Plans<>(FourStepPlan::create);
    private static final Plans<BluesteinTables> BLUESTEIN = new Plans<>(BluesteinTables::create);

    private PlanCache() {
    }

    static ComplexFftPlan complex(int n) {
        return COMPLEX.get(n);
    }

    static RealFftPlan real(int n) {
        return REAL.get(n);
    }

    static FourStepPlan fourStep(int n) {
        return FOUR_STEP.get(n);
    }

    static BluesteinTables bluestein(int n) {
        return BLUESTEIN.get(n);
    }

    /** The plans of one kind, by length. */
    private static final class Plans<P> {
        /** Ascending lengths and their plans; never modified once published. */
        private record Table(int[] lengths, Object[] plans) {
        }

        private final IntFunction<P> create;
        private volatile Table table = new Table(new int[0], new Object[0]);

        Plans(IntFunction<P> create) {
            this.create = create;
        }

        @SuppressWarnings("unchecked")
        P get(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("FFT length n must be ≥ 1, got " + n);
            }
            Table t = table;
            int i = Arrays.binarySearch(t.lengths(), n);
            if (i >= 0) {
                return (P) t.plans()[i];
            }
            // created outside the lock: Bluestein plans create their power-of-two sub-plan through this cache
            P plan = create.apply(n);
            synchronized (this) {
                t = table;
                i = Arrays.binarySearch(t.lengths(), n);
                if (i >= 0) {
                    return (P) t.plans()[i];
                }
                int at = -i - 1;
                int size = t.lengths().length;
                int[] lengths = new int[size + 1];
                Object[] plans = new Object[size + 1];
                System.arraycopy(t.lengths(), 0, lengths, 0, at);
                System.arraycopy(t.plans(), 0, plans, 0, at);
                lengths[at] = n;
                plans[at] = plan;
                System.arraycopy(t.lengths(), at, lengths, at + 1, size - at);
                System.arraycopy(t.plans(), at, plans, at + 1, size - at);
                table = new Table(lengths, plans);
                return plan;
            }
        }
    }
}
