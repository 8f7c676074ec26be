package org.rtf4j.kernels;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.MarginCases;
import org.rtf4j.kernels.testing.WithJvmBackend;

/**
 * The rational spectrum of denominators within 3.6e-6 … 2.5e-8 of the unit circle under the l1-Montel
 * constraint, on the JVM backend in both precisions, against the exact spectrum and kernel
 * ({@link MarginCases}): float32 A within 4e-6 relative at every bin, the minimum magnitude likewise, the
 * kernel within the float32 values budget. A float32 FFT alone is off by 1e-2 to 1 at the small bins
 * (the constant 1 + Σ fl(a_n) and the transform's sums round at ulp(1) ≈ 6e-8), and its kernel with them.
 */
class RationalMarginTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (MarginCases.Case c : MarginCases.cases()) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(c, p));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void spectrumNearAMontelMarginIsResolved(MarginCases.Case c, Precision p) {
        MarginCases.check(be, p, c);
    }
}
