package org.rtf4j.kernels.opencl;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.MarginCases;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The OpenCL twin of {@code RationalMarginTest}: the device's rational spectrum (its
 * {@code refineDenominators} kernel) resolves denominators within 3.6e-6 … 2.5e-8 of the unit circle
 * under the l1-Montel constraint to the same bounds against the exact spectrum and kernel, on the device.
 */
class RationalMarginDeviceTest {
    private static OpenClBackend cl;

    @BeforeAll
    static void open() {
        cl = OpenClTesting.backend();
    }

    @AfterAll
    static void close() {
        if (cl != null) {
            cl.close();
        }
    }

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
    void spectrumNearAMontelMarginIsResolvedOnTheDevice(MarginCases.Case c, Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        long before = cl.profiler().kernelLaunches();
        MarginCases.check(cl, p, c);
        OpenClTesting.assertRanOnDevice(cl, before);
    }
}
