package org.rtf4j.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.FileFormatException;
import org.rtf4j.formats.Tensor;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;
import org.rtf4j.rtf.RtfLayer;

/**
 * The one mapping between our layers and the tensors of the PyTorch reference implementations.
 *
 * <table>
 *   <caption>Reference tensor → our parameter</caption>
 *   <tr><th>kind</th><th>reference tensor (shape)</th><th>ours</th></tr>
 *   <tr><td>rtf (ruke1ire/RTF)</td><td>{@code ab} ((1+bi)(numA+H), N): denominator rows (forward, then
 *       backward), then numerator rows (forward channels, then backward)</td><td>{@code ab}, same layout</td></tr>
 *   <tr><td>rtf</td><td>{@code h_0} ((1+bi)H)</td><td>{@code h_0}</td></tr>
 *   <tr><td>rtf</td><td>{@code scalar} (numA), present ⇔ l1-Montel constraint</td><td>{@code scalar}</td></tr>
 *   <tr><td>s4d, s4 (state-spaces/s4 {@code models/s4/s4.py})</td><td>{@code kernel.log_dt} (H)</td><td>{@code log_dt}</td></tr>
 *   <tr><td>s4d, s4</td><td>{@code kernel.inv_A_real} (n_ssm, N/2), Re A = −exp(·)</td><td>{@code A_real}</td></tr>
 *   <tr><td>s4d, s4</td><td>{@code kernel.A_imag} (n_ssm, N/2), Im A = A_imag</td><td>{@code A_imag} = −reference</td></tr>
 *   <tr><td>s4d, s4</td><td>{@code kernel.B} (n_ssm, N/2, 2)</td><td>{@code B}</td></tr>
 *   <tr><td>s4</td><td>{@code kernel.P} (1, n_ssm, N/2, 2) (rank 1 only)</td><td>{@code P}</td></tr>
 *   <tr><td>s4d, s4</td><td>{@code kernel.C} (1+bi, H, N/2, 2); for S4 the truncated C̃ for L = trunc length</td><td>{@code C}</td></tr>
 *   <tr><td>s4d, s4</td><td>{@code D} (1, H)</td><td>{@code D}</td></tr>
 * </table>
 *
 * <p>Every name is looked up as {@code prefix + name}; S4/S4D kernel tensors also as {@code prefix + name}
 * without the {@code kernel.} part. n_ssm &lt; H copies are broadcast over channels (channel h uses copy
 * h mod n_ssm, as the reference's {@code repeat}); gradients of broadcast tensors are summed back. The
 * direction is inferred from {@code h_0} (rtf) or the first dimension of C (s4, s4d) and the channel
 * count; a contradicting or undecidable case is refused.
 */
public final class ReferenceLayouts {
    private ReferenceLayouts() {
    }

    /** A layer built from reference tensors and what is needed to write tensors back in that layout. */
    public record Loaded(ConvolutionalLayer layer, LayerKind kind, int copies) {
    }

    /** Options of {@link #load}. */
    public record Options(LayerKind kind, String prefix, Integer channels, Boolean bidirectional, int truncLength,
                          SsmConfig.Discretization disc, Precision precision) {
    }

    /** Builds a layer of {@code opt.kind()} from the tensors of a file. */
    public static Loaded load(Map<String, Tensor> file, String source, Options opt, Backend backend) {
        if (opt.kind() == LayerKind.RTF) {
            return loadRtf(file, source, opt, backend);
        }
        return loadSsm(file, source, opt, backend);
    }

    private static Loaded loadRtf(Map<String, Tensor> file, String source, Options opt, Backend backend) {
        String prefix = prefix(opt);
        Tensor ab = require(file, source, prefix, "ab", 2);
        Tensor h0 = require(file, source, prefix, "h_0", 1);
        Tensor scalar = file.get(prefix + "scalar");
        int h0n = h0.dim(0);
        boolean bi;
        int h;
        if (opt.channels() != null) {
            h = opt.channels();
            if (h0n == h) {
                bi = false;
            } else if (h0n == 2 * h) {
                bi = true;
            } else {
                throw new FileFormatException(source + ", tensor '" + prefix + "h_0': " + h0n
                    + " entries fit neither H=" + h + " (causal) nor 2H=" + 2 * h + " (bidirectional)");
            }
            if (opt.bidirectional() != null && opt.bidirectional() != bi) {
                throw new IllegalArgumentException("--bidirectional=" + opt.bidirectional() + " contradicts h_0 with "
                    + h0n + " entries for H=" + h);
            }
        } else if (opt.bidirectional() != null) {
            bi = opt.bidirectional();
            if (bi && h0n % 2 != 0) {
                throw new FileFormatException(source + ", tensor '" + prefix + "h_0': odd length " + h0n
                    + " cannot be bidirectional");
            }
            h = bi ? h0n / 2 : h0n;
        } else {
            throw new IllegalArgumentException("cannot infer the direction of rtf weights: h_0 has " + h0n
                + " entries; give the channel count or --bidirectional");
        }
        int dirs = bi ? 2 : 1;
        int rows = ab.dim(0);
        int order = ab.dim(1);
        if (rows % dirs != 0 || rows / dirs - h < 1 || h % (rows / dirs - h) != 0) {
            throw new FileFormatException(source + ", tensor '" + prefix + "ab': shape " + ab.shapeText()
                + " is not ((1+bi)(numA+H), N) with numA dividing H=" + h + (bi ? ", bidirectional" : ", causal"));
        }
        int numA = rows / dirs - h;
        if (scalar != null && (scalar.rank() != 1 || scalar.dim(0) != numA)) {
            throw new FileFormatException(source + ", tensor '" + prefix + "scalar': shape " + scalar.shapeText()
                + ", expected (" + numA + ",) (one slack per denominator)");
        }
        RtfConfig cfg = RtfConfig.builder(h, order, opt.truncLength()).numA(numA).bidirectional(bi)
            .constraint(scalar != null ? RtfConfig.Constraint.L1_MONTEL : RtfConfig.Constraint.NONE)
            .precision(opt.precision()).build();
        RtfLayer layer = new RtfLayer(cfg, backend);
        layer.ab().set(ab.data());
        layer.h0().set(h0.data());
        if (scalar != null) {
            layer.scalar().set(scalar.data());
        }
        return new Loaded(layer, LayerKind.RTF, 1);
    }

    private static Loaded loadSsm(Map<String, Tensor> file, String source, Options opt, Backend backend) {
        String prefix = prefix(opt);
        boolean s4 = opt.kind() == LayerKind.S4;
        Tensor logDt = requireKernel(file, source, prefix, "log_dt", 1);
        Tensor aRe = requireKernel(file, source, prefix, "inv_A_real", 2);
        Tensor aIm = requireKernel(file, source, prefix, "A_imag", 2);
        Tensor b = requireKernel(file, source, prefix, "B", 3);
        Tensor c = requireKernel(file, source, prefix, "C", 4);
        Tensor d = file.containsKey(prefix + "D") ? file.get(prefix + "D") : null;
        if (d == null) {
            throw new FileFormatException(source + ": missing tensor '" + prefix + "D'");
        }
        Tensor p = s4 ? requireKernel(file, source, prefix, "P", 4) : null;
        int h = logDt.dim(0);
        if (opt.channels() != null && opt.channels() != h) {
            throw new IllegalArgumentException("input has H=" + opt.channels() + " channels, the weights have log_dt of " + h);
        }
        int copies = aRe.dim(0);
        int modes = aRe.dim(1);
        if (copies < 1 || h % copies != 0) {
            throw new FileFormatException(source + ": " + copies + " SSM copies (inv_A_real " + aRe.shapeText()
                + ") do not divide H=" + h);
        }
        expect(source, aIm, copies, modes);
        expect(source, b, copies, modes, 2);
        int dirs = c.dim(0);
        if (dirs != 1 && dirs != 2) {
            throw new FileFormatException(source + ", tensor '" + c.name() + "': first dimension " + dirs
                + " must be 1 (causal) or 2 (bidirectional)");
        }
        expect(source, c, dirs, h, modes, 2);
        boolean bi = dirs == 2;
        if (opt.bidirectional() != null && opt.bidirectional() != bi) {
            throw new IllegalArgumentException("--bidirectional=" + opt.bidirectional() + " contradicts C with "
                + dirs + " direction(s)");
        }
        if (!(d.rank() == 1 && d.dim(0) == h) && !(d.rank() == 2 && d.dim(0) == 1 && d.dim(1) == h)) {
            throw new FileFormatException(source + ", tensor '" + d.name() + "': shape " + d.shapeText()
                + ", expected (1, " + h + ")");
        }
        if (p != null) {
            if (p.dim(0) != 1) {
                throw new FileFormatException(source + ", tensor '" + p.name() + "': rank " + p.dim(0)
                    + " low-rank correction is not supported (rank 1 only)");
            }
            expect(source, p, 1, copies, modes, 2);
            Tensor lk = kernelTensor(file, prefix, "l_kernel");
            if (lk != null && lk.data().length == 1 && lk.data()[0] != opt.truncLength()) {
                throw new IllegalArgumentException(source + ": C is truncated for l_kernel=" + (long) lk.data()[0]
                    + ", not for trunc length " + opt.truncLength() + (lk.data()[0] == 0
                    ? " (the reference has not converted C to C~ yet)" : "; pass that length"));
            }
        }
        SsmConfig.Discretization disc = s4 ? SsmConfig.Discretization.BILINEAR
            : opt.disc() == null ? SsmConfig.Discretization.ZOH : opt.disc();
        SsmConfig base = s4 ? SsmConfig.s4(h, 2 * modes, opt.truncLength()) : SsmConfig.s4d(h, 2 * modes, opt.truncLength());
        SsmConfig cfg = base.withBidirectional(bi).withDisc(disc).withPrecision(opt.precision()).withInit(
            s4 ? SsmConfig.Init.LEGS : SsmConfig.Init.LIN);
        ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(cfg, backend);
        Map<String, Parameter> ps = byName(layer);
        ps.get("log_dt").set(logDt.data());
        ps.get("A_real").set(broadcast(aRe.data(), copies, h, modes, 1, 1.0));
        ps.get("A_imag").set(broadcast(aIm.data(), copies, h, modes, 1, -1.0));
        ps.get("B").set(broadcast(b.data(), copies, h, modes, 2, 1.0));
        ps.get("C").set(c.data());
        ps.get("D").set(d.data());
        if (p != null) {
            ps.get("P").set(broadcast(p.data(), copies, h, modes, 2, 1.0));
        }
        return new Loaded(layer, opt.kind(), copies);
    }

    /** Our parameters (values or gradients) as reference tensors of the given dtype. */
    public static Map<String, Tensor> export(Loaded loaded, DType dtype, boolean gradients) {
        ConvolutionalLayer layer = loaded.layer();
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Parameter> ps = byName(layer);
        if (loaded.kind() == LayerKind.RTF) {
            for (Parameter q : layer.parameters()) {
                out.put(q.name(), new Tensor(q.name(), dtype, toLong(q.shape()), gradients ? q.grad().clone() : q.value().clone()));
            }
            return out;
        }
        int h = layer.channels();
        int modes = layer.stateSize() / 2;
        int copies = loaded.copies();
        out.put("kernel.log_dt", tensor("kernel.log_dt", dtype, pick(ps.get("log_dt"), gradients), h));
        out.put("kernel.inv_A_real", tensor("kernel.inv_A_real", dtype,
            reduce(pick(ps.get("A_real"), gradients), copies, h, modes, 1, 1.0, gradients), copies, modes));
        out.put("kernel.A_imag", tensor("kernel.A_imag", dtype,
            reduce(pick(ps.get("A_imag"), gradients), copies, h, modes, 1, -1.0, gradients), copies, modes));
        out.put("kernel.B", tensor("kernel.B", dtype, reduce(pick(ps.get("B"), gradients), copies, h, modes, 2, 1.0, gradients),
            copies, modes, 2));
        if (ps.containsKey("P")) {
            out.put("kernel.P", tensor("kernel.P", dtype, reduce(pick(ps.get("P"), gradients), copies, h, modes, 2, 1.0, gradients),
                1, copies, modes, 2));
        }
        out.put("kernel.C", tensor("kernel.C", dtype, pick(ps.get("C"), gradients), layer.bidirectional() ? 2 : 1, h, modes, 2));
        out.put("D", tensor("D", dtype, pick(ps.get("D"), gradients), 1, h));
        return out;
    }

    /** Wraps a layer we made (not loaded) for {@link #export}. */
    public static Loaded wrap(ConvolutionalLayer layer) {
        return new Loaded(layer, layer.kind(), layer.channels());
    }

    private static double[] pick(Parameter p, boolean gradients) {
        return (gradients ? p.grad() : p.value()).clone();
    }

    private static Tensor tensor(String name, DType dtype, double[] data, int... shape) {
        return Tensor.of(name, dtype, data, shape);
    }

    private static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }

    /** (copies, M, w) to (H, M, w): channel c takes copy c mod copies; values scaled by sign. */
    private static double[] broadcast(double[] src, int copies, int h, int modes, int w, double sign) {
        double[] out = new double[h * modes * w];
        for (int c = 0; c < h; c++) {
            int t = c % copies;
            for (int i = 0; i < modes * w; i++) {
                out[c * modes * w + i] = sign * src[t * modes * w + i];
            }
        }
        return out;
    }

    /** (H, M, w) to (copies, M, w): gradients are summed over the channels sharing a copy, values taken from the first. */
    private static double[] reduce(double[] src, int copies, int h, int modes, int w, double sign, boolean sum) {
        double[] out = new double[copies * modes * w];
        for (int c = 0; c < (sum ? h : copies); c++) {
            int t = c % copies;
            for (int i = 0; i < modes * w; i++) {
                out[t * modes * w + i] += sign * src[c * modes * w + i];
            }
        }
        return out;
    }

    private static Map<String, Parameter> byName(ConvolutionalLayer layer) {
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter q : layer.parameters()) {
            m.put(q.name(), q);
        }
        return m;
    }

    private static String prefix(Options opt) {
        return opt.prefix() == null ? "" : opt.prefix();
    }

    private static Tensor require(Map<String, Tensor> file, String source, String prefix, String name, int rank) {
        Tensor t = file.get(prefix + name);
        if (t == null) {
            throw new FileFormatException(source + ": missing tensor '" + prefix + name + "'" + hint(file, prefix));
        }
        if (t.rank() != rank) {
            throw new FileFormatException(source + ", tensor '" + prefix + name + "': rank " + t.rank() + " (shape "
                + t.shapeText() + "), expected rank " + rank);
        }
        return t;
    }

    private static Tensor kernelTensor(Map<String, Tensor> file, String prefix, String name) {
        Tensor t = file.get(prefix + "kernel." + name);
        return t != null ? t : file.get(prefix + name);
    }

    private static Tensor requireKernel(Map<String, Tensor> file, String source, String prefix, String name, int rank) {
        Tensor t = kernelTensor(file, prefix, name);
        if (t == null) {
            throw new FileFormatException(source + ": missing tensor '" + prefix + "kernel." + name + "' (or '" + prefix
                + name + "')" + hint(file, prefix));
        }
        if (t.rank() != rank) {
            throw new FileFormatException(source + ", tensor '" + t.name() + "': rank " + t.rank() + " (shape "
                + t.shapeText() + "), expected rank " + rank);
        }
        return t;
    }

    private static void expect(String source, Tensor t, int... shape) {
        boolean ok = t.rank() == shape.length;
        for (int i = 0; ok && i < shape.length; i++) {
            ok = t.dim(i) == shape[i];
        }
        if (!ok) {
            throw new FileFormatException(source + ", tensor '" + t.name() + "': shape " + t.shapeText() + ", expected "
                + Arrays.toString(shape).replace('[', '(').replace(']', ')'));
        }
    }

    private static String hint(Map<String, Tensor> file, String prefix) {
        String keys = String.join(", ", file.keySet().stream().limit(8).toList());
        return " (prefix '" + prefix + "'; the file has " + file.size() + " tensors: " + keys + (file.size() > 8 ? ", ..." : "") + ")";
    }
}
