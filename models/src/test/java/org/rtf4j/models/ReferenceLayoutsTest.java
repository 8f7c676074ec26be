package org.rtf4j.models;

import org.rtf4j.formats.DType;
import org.rtf4j.formats.Tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.WithJvmBackend;
import org.rtf4j.layer.LayerKind;

/** Broadcast SSM copies, gradient reduction and the refusals of the mapping. */
class ReferenceLayoutsTest extends WithJvmBackend {

    private static Map<String, Tensor> s4d(int copies, int h, int modes, int dirs, SplittableRandom r) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        double[] logDt = new double[h];
        java.util.Arrays.fill(logDt, Math.log(0.05));
        m.put("kernel.log_dt", Tensor.of("kernel.log_dt", DType.F64, logDt, h));
        double[] re = new double[copies * modes];
        double[] im = new double[copies * modes];
        double[] b = new double[copies * modes * 2];
        for (int i = 0; i < re.length; i++) {
            re[i] = Math.log(r.nextDouble(0.1, 1));
            im[i] = -r.nextDouble(0, 5);
            b[2 * i] = r.nextDouble(-1, 1);
            b[2 * i + 1] = r.nextDouble(-1, 1);
        }
        m.put("kernel.inv_A_real", Tensor.of("kernel.inv_A_real", DType.F64, re, copies, modes));
        m.put("kernel.A_imag", Tensor.of("kernel.A_imag", DType.F64, im, copies, modes));
        m.put("kernel.B", Tensor.of("kernel.B", DType.F64, b, copies, modes, 2));
        double[] c = new double[dirs * h * modes * 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble(-1, 1);
        }
        m.put("kernel.C", Tensor.of("kernel.C", DType.F64, c, dirs, h, modes, 2));
        m.put("D", Tensor.of("D", DType.F64, new double[h], 1, h));
        return m;
    }

    private ReferenceLayouts.Loaded load(Map<String, Tensor> m, LayerKind kind, int len) {
        return ReferenceLayouts.load(m, "test.safetensors",
            new ReferenceLayouts.Options(kind, "", null, null, len, null, Precision.F64), be);
    }

    @Test
    void broadcastCopiesEqualExplicitCopiesAndGradientsAreSummed() {
        int h = 4;
        int modes = 3;
        int len = 32;
        Map<String, Tensor> shared = s4d(2, h, modes, 1, new SplittableRandom(1));
        // the same parameters with the two copies written out for every channel (copy c mod 2)
        Map<String, Tensor> full = new LinkedHashMap<>(shared);
        for (String k : new String[] {"kernel.inv_A_real", "kernel.A_imag", "kernel.B"}) {
            Tensor t = shared.get(k);
            int w = t.rank() == 3 ? 2 : 1;
            double[] d = new double[h * modes * w];
            for (int c = 0; c < h; c++) {
                System.arraycopy(t.data(), (c % 2) * modes * w, d, c * modes * w, modes * w);
            }
            full.put(k, w == 2 ? Tensor.of(k, DType.F64, d, h, modes, 2) : Tensor.of(k, DType.F64, d, h, modes));
        }
        ReferenceLayouts.Loaded a = load(shared, LayerKind.S4D, len);
        ReferenceLayouts.Loaded b = load(full, LayerKind.S4D, len);
        Check.close("broadcast kernel", a.layer().kernel(0, len), b.layer().kernel(0, len), 0.0);
        double[] u = new double[h * len];
        u[0] = 1;
        u[len + 3] = -2;
        double[] g = new double[u.length];
        java.util.Arrays.fill(g, 0.5);
        for (ReferenceLayouts.Loaded x : new ReferenceLayouts.Loaded[] {a, b}) {
            x.layer().forward(u, 1, len);
            x.layer().zeroGrad();
            x.layer().backward(g, new double[u.length]);
        }
        Map<String, Tensor> ga = ReferenceLayouts.export(a, DType.F64, true);
        Map<String, Tensor> gb = ReferenceLayouts.export(b, DType.F64, true);
        assertEquals(2, ga.get("kernel.B").dim(0));
        double[] summed = new double[2 * modes * 2];
        for (int c = 0; c < h; c++) {
            for (int i = 0; i < modes * 2; i++) {
                summed[(c % 2) * modes * 2 + i] += gb.get("kernel.B").data()[c * modes * 2 + i];
            }
        }
        Check.close("summed B gradient", ga.get("kernel.B").data(), summed, 1e-12);
        // values round-trip with the sign convention of A_imag
        Check.close("A_imag round trip", ReferenceLayouts.export(a, DType.F64, false).get("kernel.A_imag").data(),
            shared.get("kernel.A_imag").data(), 0.0);
        a.layer().close();
        b.layer().close();
    }

    @Test
    void refusals() {
        Map<String, Tensor> m = s4d(3, 4, 2, 1, new SplittableRandom(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load(m, LayerKind.S4D, 16));
        assertTrue(e.getMessage().contains("3 SSM copies") && e.getMessage().contains("do not divide H=4"), e.getMessage());
        Map<String, Tensor> s4 = s4d(1, 4, 2, 1, new SplittableRandom(3));
        s4.put("kernel.P", Tensor.of("kernel.P", DType.F64, new double[2 * 1 * 2 * 2], 2, 1, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> load(s4, LayerKind.S4, 16));
        assertTrue(e.getMessage().contains("rank 2 low-rank correction is not supported"), e.getMessage());
        s4.put("kernel.P", Tensor.of("kernel.P", DType.F64, new double[1 * 1 * 2 * 2], 1, 1, 2, 2));
        s4.put("kernel.l_kernel", Tensor.of("kernel.l_kernel", DType.F64, new double[] {64}));
        e = assertThrows(IllegalArgumentException.class, () -> load(s4, LayerKind.S4, 16));
        assertTrue(e.getMessage().contains("l_kernel=64"), e.getMessage());
        Map<String, Tensor> rtf = new LinkedHashMap<>();
        rtf.put("ab", Tensor.of("ab", DType.F64, new double[16], 8, 2));
        rtf.put("h_0", Tensor.of("h_0", DType.F64, new double[4], 4));
        e = assertThrows(IllegalArgumentException.class, () -> load(rtf, LayerKind.RTF, 16));
        assertTrue(e.getMessage().contains("cannot infer the direction"), e.getMessage());
        Map<String, Tensor> wrongRank = new LinkedHashMap<>(rtf);
        wrongRank.put("ab", Tensor.of("ab", DType.F64, new double[16], 16));
        e = assertThrows(IllegalArgumentException.class, () -> ReferenceLayouts.load(wrongRank, "w.safetensors",
            new ReferenceLayouts.Options(LayerKind.RTF, "", 4, null, 16, null, Precision.F64), be));
        assertTrue(e.getMessage().contains("w.safetensors, tensor 'ab': rank 1"), e.getMessage());
    }
}
