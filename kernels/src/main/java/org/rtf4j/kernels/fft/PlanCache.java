package org.rtf4j.kernels.fft;

import java.util.concurrent.ConcurrentHashMap;

/** Process-wide cache of immutable plans (plans hold only tables, so sharing them is safe). */
final class PlanCache {
    private static final ConcurrentHashMap<Integer, ComplexFftPlan> COMPLEX = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, RealFftPlan> REAL = new ConcurrentHashMap<>();

    private PlanCache() {
    }

    static ComplexFftPlan complex(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        ComplexFftPlan p = COMPLEX.get(n);
        if (p == null) {
            // not computeIfAbsent: Bluestein plans recursively create their power-of-two sub-plan
            p = ComplexFftPlan.create(n);
            ComplexFftPlan prev = COMPLEX.putIfAbsent(n, p);
            if (prev != null) {
                p = prev;
            }
        }
        return p;
    }

    static RealFftPlan real(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        RealFftPlan p = REAL.get(n);
        if (p == null) {
            p = RealFftPlan.create(n);
            RealFftPlan prev = REAL.putIfAbsent(n, p);
            if (prev != null) {
                p = prev;
            }
        }
        return p;
    }
}
