package org.rtf4j.kernels;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.Host;

/** Every fft_*.json golden file: complex forward, real forward, real inverse, complex round trip. */
class FftGoldenTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new java.util.ArrayList<>();
        for (String name : Golden.names("fft_")) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(name, p));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesGolden(String name, Precision p) {
        Golden g = Golden.load(name);
        int n = g.integer("params.n");
        double tol = Check.values(p, n);

        double[] xc = g.complex("inputs.x_complex");
        try (DeviceBuffer d = Host.put(be, p, xc)) {
            be.fftComplex(n, 1, d, false);
            Check.close(name + " fft " + p, Host.get(be, d), g.complex("outputs.fft_x_complex"), tol);
            be.fftComplex(n, 1, d, true);
            Check.close(name + " ifft(fft(x)) " + p, Host.get(be, d), Host.round(p, xc), tol);
        }

        double[] xr = g.real("inputs.x_real");
        try (DeviceBuffer in = Host.put(be, p, xr); DeviceBuffer out = be.allocate(p, 2 * (n / 2 + 1))) {
            be.fftRealForward(n, 1, in, n, n, out);
            Check.close(name + " rfft " + p, Host.get(be, out), g.complex("outputs.rfft_x_real"), tol);
        }

        double[] xh = g.complex("inputs.X_half");
        try (DeviceBuffer in = Host.put(be, p, xh); DeviceBuffer out = be.allocate(p, n)) {
            be.fftRealInverse(n, 1, in, out, n, n);
            Check.close(name + " irfft " + p, Host.get(be, out), g.real("outputs.irfft_X_half"), tol);
        }
    }
}
