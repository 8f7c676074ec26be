package org.rtf4j.rtf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.kernels.testing.Golden;

/** The RTF layer against every rtf_forward_*, rtf_backward_* and rtf_reference_* golden file. */
class RtfGoldenTest extends WithJvmBackend {

    static List<Arguments> layerCases() {
        List<Arguments> out = new ArrayList<>();
        List<String> names = new ArrayList<>(Golden.names("rtf_forward_"));
        names.addAll(Golden.names("rtf_backward_"));
        for (String n : names) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(n, p));
            }
        }
        return out;
    }

    static List<Arguments> referenceCases() {
        List<Arguments> out = new ArrayList<>();
        for (String n : Golden.names("rtf_reference_")) {
            for (Precision p : Precision.values()) {
                out.add(Arguments.of(n, p));
            }
        }
        return out;
    }

    private static RtfConfig config(Golden g, Precision p) {
        boolean bi = g.has("params.bidirectional") && Boolean.parseBoolean(g.text("params.bidirectional"));
        boolean montel = g.has("params.constraint") && g.text("params.constraint").equals("l1_montel");
        return RtfConfig.builder(g.integer("params.H"), g.integer("params.N"), g.integer("params.trunc_len"))
            .numA(g.integer("params.num_a")).bidirectional(bi)
            .constraint(montel ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE)
            .precision(p).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layerCases")
    void layerMatchesGolden(String name, Precision p) {
        Golden g = Golden.load(name);
        RtfConfig cfg = config(g, p);
        int h = cfg.channels();
        int order = cfg.order();
        int numA = cfg.numA();
        int dirs = cfg.directions();
        int batch = g.integer("params.batch");
        int ell = g.integer("params.ell");
        boolean montel = cfg.constraint() == RtfConfig.Constraint.L1_MONTEL;
        String[] suffix = dirs == 2 ? new String[] {"_fwd", "_bwd"} : new String[] {""};
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            double[] ab = new double[dirs * (numA + h) * order];
            double[] h0 = new double[dirs * h];
            for (int d = 0; d < dirs; d++) {
                double[] a = montel ? g.real("params.theta") : g.real("params.a" + suffix[d]);
                System.arraycopy(a, 0, ab, d * numA * order, numA * order);
                System.arraycopy(g.real("params.b" + suffix[d]), 0, ab, (dirs * numA + d * h) * order, h * order);
                System.arraycopy(g.real("params.h0" + suffix[d]), 0, h0, d * h, h);
            }
            layer.ab().set(ab);
            layer.h0().set(h0);
            if (montel) {
                layer.scalar().set(g.real("params.s"));
                Check.close(name + " effective a", layer.effectiveDenominators(), g.real("params.a"), Check.F64_VALUES);
            }
            int n = 2 * Math.max(ell, cfg.maxLength());
            double vt = Check.values(p, n);
            double gt = Check.gradients(p, n);
            for (int d = 0; d < dirs; d++) {
                String key = dirs == 2 ? "outputs.k" + suffix[d] : "outputs.k";
                if (g.has(key)) {
                    Check.close(name + " " + key + " " + p, layer.kernel(d, ell), g.real(key), vt);
                }
            }
            double[] y = layer.forward(g.real("inputs.u"), batch, ell);
            Check.close(name + " y " + p, y, g.real("outputs.y"), vt);
            if (!g.has("inputs.gy")) {
                return;
            }
            double[] du = new double[y.length];
            layer.zeroGrad();
            layer.backward(g.real("inputs.gy"), du);
            Check.close(name + " du " + p, du, g.real("outputs.du"), gt);
            double[] grad = layer.ab().grad();
            for (int d = 0; d < dirs; d++) {
                double[] ga = java.util.Arrays.copyOfRange(grad, d * numA * order, (d + 1) * numA * order);
                Check.close(name + " da" + suffix[d] + " " + p, ga,
                    montel ? g.real("outputs.dtheta") : g.real("outputs.da" + suffix[d]), gt);
                double[] gb = java.util.Arrays.copyOfRange(grad, (dirs * numA + d * h) * order, (dirs * numA + (d + 1) * h) * order);
                Check.close(name + " db" + suffix[d] + " " + p, gb, g.real("outputs.db" + suffix[d]), gt);
                double[] gh = java.util.Arrays.copyOfRange(layer.h0().grad(), d * h, (d + 1) * h);
                Check.close(name + " dh0" + suffix[d] + " " + p, gh, g.real("outputs.dh0" + suffix[d]), gt);
            }
            if (montel) {
                Check.close(name + " ds " + p, layer.scalar().grad(), g.real("outputs.ds"), gt);
            }
        }
    }

    /** (B, L, H) to (B, H, L). */
    static double[] toBhl(double[] blh, int batch, int len, int h) {
        double[] out = new double[blh.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < len; t++) {
                for (int c = 0; c < h; c++) {
                    out[(b * h + c) * len + t] = blh[(b * len + t) * h + c];
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("referenceCases")
    void referenceLayoutMatchesTheReferenceImplementation(String name, Precision p) {
        Golden g = Golden.load(name);
        RtfConfig cfg = config(g, p);
        int h = cfg.channels();
        int batch = g.integer("params.batch");
        int ell = g.integer("params.ell");
        try (RtfLayer layer = new RtfLayer(cfg, be)) {
            layer.ab().set(g.real("params.ab"));
            layer.h0().set(g.real("params.h_0"));
            if (g.has("params.scalar")) {
                layer.scalar().set(g.real("params.scalar"));
                Check.close(name + " a_effective", layer.effectiveDenominators(), g.real("outputs.a_effective"), Check.F64_VALUES);
            }
            double vt = Check.values(p, 2 * ell);
            double gt = Check.gradients(p, 2 * ell);
            double[] kRef = g.real("outputs.k");
            double[] kf = layer.kernel(0, ell);
            if (cfg.bidirectional()) {
                // reference layout (H, 2L) = [k_fwd, reverse(k_bwd)]
                double[] kb = layer.kernel(1, ell);
                double[] k = new double[2 * h * ell];
                for (int c = 0; c < h; c++) {
                    for (int t = 0; t < ell; t++) {
                        k[c * 2 * ell + t] = kf[c * ell + t];
                        k[c * 2 * ell + 2 * ell - 1 - t] = kb[c * ell + t];
                    }
                }
                Check.close(name + " k " + p, k, kRef, vt);
            } else {
                Check.close(name + " k " + p, kf, kRef, vt);
            }
            double[] y = layer.forward(toBhl(g.real("inputs.u_blh"), batch, ell, h), batch, ell);
            Check.close(name + " y " + p, y, toBhl(g.real("outputs.y_blh"), batch, ell, h), vt);
            double[] du = new double[y.length];
            layer.zeroGrad();
            layer.backward(toBhl(g.real("inputs.gy_blh"), batch, ell, h), du);
            Check.close(name + " du " + p, du, toBhl(g.real("outputs.du_blh"), batch, ell, h), gt);
            Check.close(name + " d_ab " + p, layer.ab().grad(), g.real("outputs.d_ab"), gt);
            Check.close(name + " d_h_0 " + p, layer.h0().grad(), g.real("outputs.d_h_0"), gt);
            if (g.has("outputs.d_scalar")) {
                Check.close(name + " d_scalar " + p, layer.scalar().grad(), g.real("outputs.d_scalar"), gt);
            }
            assertEquals(batch * h * ell, y.length);
        }
    }
}
