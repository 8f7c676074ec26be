package org.rtf4j.kernels.fft;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Process-wide cache of immutable plans (plans hold only tables, so sharing them is safe). Lookups first
 * scan a small array of recently used plans, so a steady-state call allocates nothing (the map's
 * {@code Integer} keys would box every length above 127).
 */
final class PlanCache {
    private static final int RECENT = 16;
    private static final ConcurrentHashMap<Integer, ComplexFftPlan> COMPLEX = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Integer, RealFftPlan> REAL = new ConcurrentHashMap<>();
    private static final AtomicReferenceArray<ComplexFftPlan> RECENT_COMPLEX = new AtomicReferenceArray<>(RECENT);
    private static final AtomicReferenceArray<RealFftPlan> RECENT_REAL = new AtomicReferenceArray<>(RECENT);

    private PlanCache() {
    }

    static ComplexFftPlan complex(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        for (int i = 0; i < RECENT; i++) {
            ComplexFftPlan p = RECENT_COMPLEX.get(i);
            if (p != null && p.length() == n) {
                return p;
            }
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
        RECENT_COMPLEX.set(Math.floorMod(n * 0x9E3779B1, RECENT), p);
        return p;
    }

    static RealFftPlan real(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length n=" + n + " must be >= 1");
        }
        for (int i = 0; i < RECENT; i++) {
            RealFftPlan p = RECENT_REAL.get(i);
            if (p != null && p.length() == n) {
                return p;
            }
        }
        RealFftPlan p = REAL.get(n);
        if (p == null) {
            p = RealFftPlan.create(n);
            RealFftPlan prev = REAL.putIfAbsent(n, p);
            if (prev != null) {
                p = prev;
            }
        }
        RECENT_REAL.set(Math.floorMod(n * 0x9E3779B1, RECENT), p);
        return p;
    }
}
