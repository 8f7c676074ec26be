package org.rtf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.Npy;
import org.rtf4j.formats.SafeTensors;
import org.rtf4j.formats.Tensor;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Golden;

/**
 * {@code layer run|kernel|export} end to end in-process on temporary files: the reference implementation's
 * own outputs and gradients (rtf_reference_*) and the S4D/S4 golden kernels reproduced through
 * safetensors/.npy, with hostile inputs refused and no partial output left behind.
 */
class LayerCommandTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        return InProcess.run(args);
    }

    static List<String> referenceCases() {
        return Golden.names("rtf_reference_");
    }

    private static long[] blh(Golden g) {
        return new long[] {g.integer("params.batch"), g.integer("params.ell"), g.integer("params.H")};
    }

    /** Writes a golden rtf_reference_* case as files, like a PyTorch user would: W, U, G. */
    static Path[] writeReferenceCase(Path dir, Golden g, String prefix) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        int rows = g.integer("params.N");
        double[] ab = g.real("params.ab");
        w.put(prefix + "ab", Tensor.of(prefix + "ab", DType.F64, ab, ab.length / rows, rows));
        double[] h0 = g.real("params.h_0");
        w.put(prefix + "h_0", Tensor.of(prefix + "h_0", DType.F64, h0, h0.length));
        if (g.has("params.scalar")) {
            double[] s = g.real("params.scalar");
            w.put(prefix + "scalar", Tensor.of(prefix + "scalar", DType.F64, s, s.length));
        }
        // another layer's tensor in the same file, to exercise the prefix
        w.put("other.ab", Tensor.of("other.ab", DType.F64, new double[4], 2, 2));
        Path wf = dir.resolve("w.safetensors");
        SafeTensors.write(wf, w, Map.of("format", "pt"));
        Path uf = dir.resolve("u.npy");
        Npy.write(uf, new Tensor("u", DType.F64, blh(g), g.real("inputs.u_blh")));
        Path gf = dir.resolve("g.npy");
        Npy.write(gf, new Tensor("g", DType.F64, blh(g), g.real("inputs.gy_blh")));
        return new Path[] {wf, uf, gf};
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void reproducesTheReferenceImplementationThroughFiles(String name) {
        Golden g = Golden.load(name);
        String prefix = "model.layers.0.rtf.";
        Path[] f = writeReferenceCase(dir, g, prefix);
        Path y = dir.resolve("y.npy");
        Path grads = dir.resolve("grads.safetensors");
        String[] r = run("layer", "run", "--kind", "rtf", "--weights", f[0].toString(), "--prefix", prefix,
            "--input", f[1].toString(), "--output", y.toString(), "--layout", "BLH",
            "--grad-output", f[2].toString(), "--grads-out", grads.toString(), "--threads", "2");
        assertEquals("0", r[0], r[2]);
        Tensor yt = Npy.read(y);
        assertEquals(DType.F64, yt.dtype());
        Check.close(name + " y", yt.data(), g.real("outputs.y_blh"), Check.F64_VALUES);
        SafeTensors.Contents c = SafeTensors.read(grads);
        Check.close(name + " du", c.tensors().get("du").data(), g.real("outputs.du_blh"), Check.F64_GRADIENTS);
        Check.close(name + " d_ab", c.tensors().get("ab").data(), g.real("outputs.d_ab"), Check.F64_GRADIENTS);
        Check.close(name + " d_h_0", c.tensors().get("h_0").data(), g.real("outputs.d_h_0"), Check.F64_GRADIENTS);
        if (g.has("outputs.d_scalar")) {
            Check.close(name + " d_scalar", c.tensors().get("scalar").data(), g.real("outputs.d_scalar"), Check.F64_GRADIENTS);
        }
        assertEquals("rtf", c.metadata().get("kind"));
        // the kernel command reproduces the reference's kernel ([k_fwd, reverse(k_bwd)] for bidirectional)
        Path k = dir.resolve("k.npy");
        int len = g.integer("params.ell");
        int h = g.integer("params.H");
        r = run("layer", "kernel", "--kind", "rtf", "--weights", f[0].toString(), "--prefix", prefix,
            "--length", String.valueOf(len), "--channels", String.valueOf(h), "--output", k.toString());
        assertEquals("0", r[0], r[2]);
        Tensor kt = Npy.read(k);
        double[] ref = g.real("outputs.k");
        if (kt.rank() == 3) {
            double[] bi = new double[2 * h * len];
            for (int c2 = 0; c2 < h; c2++) {
                for (int t = 0; t < len; t++) {
                    bi[c2 * 2 * len + t] = kt.data()[c2 * len + t];
                    bi[c2 * 2 * len + 2 * len - 1 - t] = kt.data()[h * len + c2 * len + t];
                }
            }
            Check.close(name + " kernel", bi, ref, Check.F64_VALUES);
        } else {
            Check.close(name + " kernel", kt.data(), ref, Check.F64_VALUES);
        }
    }

    /** S4D/S4 golden parameters written in the state-spaces/s4 layout (inv_A_real, A_imag = Im A, C (1, H, M, 2), D (1, H)). */
    private Path writeSsm(Golden g, boolean s4, DType dtype) {
        int h = g.integer("params.H");
        int modes = g.integer("params.M");
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("kernel.log_dt", Tensor.of("kernel.log_dt", dtype, g.real("params.log_dt"), h));
        w.put("kernel.inv_A_real", Tensor.of("kernel.inv_A_real", dtype, g.real("params.A_real"), h, modes));
        double[] aim = g.real("params.A_imag");
        for (int i = 0; i < aim.length; i++) {
            aim[i] = -aim[i];
        }
        w.put("kernel.A_imag", Tensor.of("kernel.A_imag", dtype, aim, h, modes));
        w.put("kernel.B", Tensor.of("kernel.B", dtype, g.complex("params.B"), h, modes, 2));
        w.put("kernel.C", Tensor.of("kernel.C", dtype, g.complex(s4 ? "params.C_tilde" : "params.C"), 1, h, modes, 2));
        if (s4) {
            w.put("kernel.P", Tensor.of("kernel.P", dtype, g.complex("params.P"), 1, h, modes, 2));
        }
        double[] d = g.has("params.D") ? g.real("params.D") : new double[h];
        w.put("D", Tensor.of("D", dtype, d, 1, h));
        Path f = dir.resolve((s4 ? "s4" : "s4d") + ".safetensors");
        SafeTensors.write(f, w, Map.of());
        return f;
    }

    @Test
    void s4dAndS4GoldenKernelsAndOutputsThroughFiles() {
        for (String name : Golden.names("s4d_kernel_")) {
            Golden g = Golden.load(name);
            Path w = writeSsm(g, false, DType.F64);
            Path k = dir.resolve("k.npy");
            String disc = g.text("params.disc");
            int len = g.integer("params.L");
            String[] r = run("layer", "kernel", "--kind", "s4d", "--disc", disc, "--weights", w.toString(),
                "--length", String.valueOf(len), "--output", k.toString());
            assertEquals("0", r[0], r[2]);
            Check.close(name + " K", Npy.read(k).data(), g.real("outputs.K"), Check.F64_VALUES);
            Path u = dir.resolve("u.npy");
            Npy.write(u, Tensor.of("u", DType.F64, g.real("inputs.u"), g.integer("params.batch"), g.integer("params.H"), len));
            Path y = dir.resolve("y.npy");
            r = run("layer", "run", "--kind", "s4d", "--disc", disc, "--weights", w.toString(), "--input", u.toString(),
                "--output", y.toString());
            assertEquals("0", r[0], r[2]);
            Check.close(name + " y", Npy.read(y).data(), g.real("outputs.y"), Check.F64_VALUES);
        }
        Golden g = Golden.load("s4_kernel_legs_bilinear");
        Path w = writeSsm(g, true, DType.F64);
        Path k = dir.resolve("k4.npy");
        String[] r = run("layer", "kernel", "--kind", "s4", "--weights", w.toString(), "--length", "64", "--output", k.toString());
        assertEquals("0", r[0], r[2]);
        Check.close("S4 K", Npy.read(k).data(), g.real("outputs.K"), Check.F64_VALUES);
    }

    @Test
    void exportWritesTheReferenceLayoutAndLoadsBack() {
        for (String kind : new String[] {"rtf", "s4d", "s4"}) {
            Path w = dir.resolve(kind + ".safetensors");
            String[] r = run("layer", "export", "--kind", kind, "--channels", "3", "--state", "4", "--length", "16",
                "--bidirectional", "--dtype", "F64", "--output", w.toString());
            assertEquals("0", r[0], r[2]);
            SafeTensors.Contents c = SafeTensors.read(w);
            if (kind.equals("rtf")) {
                assertEquals(List.of(2L * (3 + 3), 4L), java.util.Arrays.stream(c.tensors().get("ab").shape()).boxed().toList());
            } else {
                assertEquals(List.of(2L, 3L, 2L, 2L), java.util.Arrays.stream(c.tensors().get("kernel.C").shape()).boxed().toList());
            }
            Path u = dir.resolve("u.npy");
            Npy.write(u, Tensor.of("u", DType.F64, new double[2 * 3 * 16], 2, 3, 16));
            r = run("layer", "run", "--kind", kind, "--weights", w.toString(), "--input", u.toString(),
                "--output", dir.resolve("y.npy").toString());
            assertEquals("0", r[0], r[2] + " for " + kind);
            assertTrue(r[1].contains("bidirectional"), r[1]);
        }
    }

    @Test
    void hostileInputsGiveOneLineAndNoPartialOutput() throws IOException {
        Golden g = Golden.load("rtf_reference_uni_L64");
        Path[] f = writeReferenceCase(dir, g, "");
        Path y = dir.resolve("y.npy");
        String[][] cases = {
            {"missing tensor 'nope.ab'", "--prefix", "nope."},
            {"mixed precisions are refused", "--input", f32Input(g).toString()},
            {"--layout must be BHL or BLH, got XYZ", "--layout", "XYZ"},
            {"contradicts h_0", "--bidirectional"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("layer", "run", "--kind", "rtf", "--weights", f[0].toString(),
                "--input", f[1].toString(), "--output", y.toString(), "--layout", "BLH"));
            for (int i = 1; i < c.length; i += 2) {
                int at = args.indexOf(c[i]);
                if (at >= 0 && i + 1 < c.length) {
                    args.set(at + 1, c[i + 1]);
                } else if (at < 0) {
                    args.add(c[i]);
                    if (i + 1 < c.length) {
                        args.add(c[i + 1]);
                    }
                }
            }
            String[] r = run(args.toArray(new String[0]));
            assertEquals("2", r[0], "exit code for " + c[0] + ": " + r[1] + r[2]);
            assertTrue(r[2].contains(c[0]), "'" + r[2] + "' lacks '" + c[0] + "'");
            assertFalse(r[2].contains("\tat "), "stack trace shown: " + r[2]);
            assertFalse(Files.exists(y), "output written for " + c[0]);
        }
        Path broken = dir.resolve("broken.safetensors");
        byte[] all = Files.readAllBytes(f[0]);
        Files.write(broken, java.util.Arrays.copyOf(all, all.length / 2));
        String[] r = run("layer", "run", "--kind", "rtf", "--weights", broken.toString(), "--input", f[1].toString(),
            "--output", y.toString(), "--layout", "BLH");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("broken.safetensors"), r[2]);
        assertFalse(Files.exists(y));
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    private Path f32Input(Golden g) {
        Path p = dir.resolve("u32.npy");
        Npy.write(p, new Tensor("u", DType.F32, blh(g), g.real("inputs.u_blh")));
        return p;
    }
}
