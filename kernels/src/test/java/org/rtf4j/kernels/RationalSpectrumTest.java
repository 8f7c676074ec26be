package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.RationalShape;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.Margins;

/** The rational spectrum kernel and its backward against every rtf_kernel_*.json golden file. */
class RationalSpectrumTest extends WithJvmBackend {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String name : Golden.names("rtf_kernel_")) {
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
        double[] a = g.real("params.a");
        double[] b = g.real("params.b");
        double[] h0 = g.real("params.h0");
        int h = h0.length;
        int order = b.length / h;
        int numA = a.length / order;
        int len = g.integer("params.trunc_len");
        int ell = g.integer("params.ell");
        RationalShape s = new RationalShape(numA, h, order, len);
        assertEquals(g.integer("params.P"), s.fftLength(), "P");
        int bins = s.bins();
        int pp = s.fftLength();
        double vt = Check.values(p, pp);
        double gt = Check.gradients(p, pp);
        try (DeviceBuffer ba = Host.put(be, p, a); DeviceBuffer bm = Host.put(be, p, Margins.of(a, order));
             DeviceBuffer bb = Host.put(be, p, b); DeviceBuffer bh = Host.put(be, p, h0);
             DeviceBuffer sa = be.allocate(p, 2 * bins * numA); DeviceBuffer sb = be.allocate(p, 2 * bins * h);
             DeviceBuffer sk = be.allocate(p, 2 * bins * h); DeviceBuffer mm = be.allocate(p, 2 * numA);
             DeviceBuffer k = be.allocate(p, h * ell); DeviceBuffer gk = Host.put(be, p, g.real("inputs.gk"));
             DeviceBuffer da = be.allocate(p, numA * order); DeviceBuffer db = be.allocate(p, h * order);
             DeviceBuffer dh0 = be.allocate(p, h); DeviceBuffer work = be.allocate(p, s.backwardWorkLength())) {
            be.rationalSpectrum(s, ba, bm, bb, bh, sa, sb, sk, mm);
            if (g.has("outputs.A_spec")) {
                Check.close(name + " A " + p, Host.get(be, sa), g.complex("outputs.A_spec"), vt);
                Check.close(name + " B " + p, Host.get(be, sb), g.complex("outputs.B_spec"), vt);
                Check.close(name + " K " + p, Host.get(be, sk), g.complex("outputs.K_spec"), vt);
            }
            be.fftRealInverse(pp, h, sk, k, ell, ell);
            Check.close(name + " k " + p, Host.get(be, k), g.real("outputs.k"), vt);
            be.rationalSpectrumBackward(s, gk, ell, sa, sb, da, db, dh0, work);
            Check.close(name + " da " + p, Host.get(be, da), g.real("outputs.da"), gt);
            Check.close(name + " db " + p, Host.get(be, db), g.real("outputs.db"), gt);
            Check.close(name + " dh0 " + p, Host.get(be, dh0), g.real("outputs.dh0"), gt);
        }
    }

    @Test
    void minimumMagnitudeFindsARootOnTheUnitCircle() {
        // a(z) = 1 - z^-1 vanishes at z = 1 (bin 0); a(z) = 1 + z^-1 vanishes at z = -1 (bin P/2)
        RationalShape s = new RationalShape(2, 2, 1, 16);
        double[] a = {-1.0, 1.0};
        try (DeviceBuffer ba = Host.put(be, Precision.F64, a); DeviceBuffer bm = Host.put(be, Precision.F64, Margins.of(a, 1));
             DeviceBuffer bb = Host.put(be, Precision.F64, new double[] {1, 1});
             DeviceBuffer bh = Host.put(be, Precision.F64, new double[] {0, 0});
             DeviceBuffer sa = be.allocate(Precision.F64, 2 * s.bins() * 2); DeviceBuffer sb = be.allocate(Precision.F64, 2 * s.bins() * 2);
             DeviceBuffer sk = be.allocate(Precision.F64, 2 * s.bins() * 2); DeviceBuffer mm = be.allocate(Precision.F64, 4)) {
            be.rationalSpectrum(s, ba, bm, bb, bh, sa, sb, sk, mm);
            double[] m = Host.get(be, mm);
            assertEquals(0.0, m[0], 1e-15, Arrays.toString(m));
            assertEquals(0.0, m[1], 0.0, Arrays.toString(m));
            assertEquals(0.0, m[2], 1e-15, Arrays.toString(m));
            assertEquals(8.0, m[3], 0.0, Arrays.toString(m));
        }
    }
}
