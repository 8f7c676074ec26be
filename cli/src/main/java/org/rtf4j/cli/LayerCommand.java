package org.rtf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.formats.DType;
import org.rtf4j.formats.Npy;
import org.rtf4j.formats.OutputFiles;
import org.rtf4j.formats.SafeTensors;
import org.rtf4j.formats.Tensor;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.models.LayerSpec;
import org.rtf4j.models.ReferenceLayouts;
import org.rtf4j.models.SequenceLayers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./rtf4j layer run|kernel|export}: run our layers on weights and tensors of the PyTorch references. */
@Command(name = "layer", mixinStandardHelpOptions = true,
    description = "Run, inspect and export layers with weights in the PyTorch reference layouts (safetensors, .npy).",
    subcommands = {LayerCommand.Run.class, LayerCommand.Kernel.class, LayerCommand.Export.class})
final class LayerCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Layer kinds on the command line. */
    enum Kind {
        rtf(LayerKind.RTF), s4d(LayerKind.S4D), s4(LayerKind.S4);

        final LayerKind kind;

        Kind(LayerKind k) {
            kind = k;
        }
    }

    /** Discretisations on the command line. */
    enum Disc {
        zoh, bilinear
    }

    /** Options that select a layer in a weights file. */
    static final class WeightOptions {
        @Option(names = "--kind", required = true, description = "Layer kind: ${COMPLETION-CANDIDATES}.")
        Kind kind;

        @Option(names = "--weights", required = true, description = "safetensors file with the reference tensors.")
        Path weights;

        @Option(names = "--prefix", description = "Key prefix selecting one layer of a model's state dict.")
        String prefix = "";

        @Option(names = "--bidirectional", arity = "0..1", fallbackValue = "true",
            description = "Direction (default: inferred from the tensor shapes).")
        Boolean bidirectional;

        @Option(names = "--disc", description = "S4D discretisation: ${COMPLETION-CANDIDATES} (default: zoh).")
        Disc disc;

        @Mixin
        BackendOptions backend = new BackendOptions();

        ReferenceLayouts.Loaded load(Map<String, Tensor> file, Integer channels, int truncLength, Precision p, Backend be) {
            SsmConfig.Discretization d = disc == null ? null
                : disc == Disc.zoh ? SsmConfig.Discretization.ZOH : SsmConfig.Discretization.BILINEAR;
            return ReferenceLayouts.load(file, weights.toString(),
                new ReferenceLayouts.Options(kind.kind, prefix, channels, bidirectional, truncLength, d, p), be);
        }
    }

    /**
     * Precision of the weights under the prefix: F64 if every tensor is F64, F32 if none is; mixed files
     * are refused. With no tensor under the prefix, {@code fallback} (the loader then names what is missing).
     */
    static Precision weightPrecision(Map<String, Tensor> file, String prefix, Path source, Precision fallback) {
        boolean f64 = false;
        boolean narrow = false;
        for (Tensor t : file.values()) {
            if (!t.name().startsWith(prefix)) {
                continue;
            }
            if (t.dtype() == DType.F64) {
                f64 = true;
            } else {
                narrow = true;
            }
        }
        if (f64 && narrow) {
            throw new IllegalArgumentException(source + ": mixes F64 with narrower tensors under prefix '" + prefix
                + "'; mixed precisions are refused");
        }
        if (!f64 && !narrow) {
            return fallback;
        }
        return f64 ? Precision.F64 : Precision.F32;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Forward (and backward when --grad-output is given) on an input .npy.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WeightOptions w = new WeightOptions();

        @Option(names = "--input", required = true, description = "Input .npy, (B, H, L) or (B, L, H) by --layout.")
        Path input;

        @Option(names = "--output", required = true, description = "Output .npy, same layout and dtype as the input.")
        Path output;

        @Option(names = "--layout", description = "BHL or BLH (default: ${DEFAULT-VALUE}).")
        String layout = "BHL";

        @Option(names = "--trunc-len", description = "Kernel length L (default: the input length).")
        Integer truncLength;

        @Option(names = "--grad-output", description = "Upstream gradient dLoss/dy .npy (same shape as the output).")
        Path gradOutput;

        @Option(names = "--grads-out", description = "safetensors file for du and the parameter gradients.")
        Path gradsOut;

        @Override
        public Integer call() {
            boolean blh = parseLayout(layout);
            if ((gradOutput == null) != (gradsOut == null)) {
                throw new IllegalArgumentException("--grad-output and --grads-out go together");
            }
            Map<String, Path> outputs = new LinkedHashMap<>();
            outputs.put("--output", output);
            outputs.put("--grads-out", gradsOut);
            OutputFiles.checkAll(outputs);
            Tensor u = Npy.read(input);
            if (u.rank() != 3) {
                throw new IllegalArgumentException(input + ": rank " + u.rank() + " (shape " + u.shapeText()
                    + "), expected a (B, " + (blh ? "L, H" : "H, L") + ") array");
            }
            int batch = u.dim(0);
            int len = blh ? u.dim(1) : u.dim(2);
            int h = blh ? u.dim(2) : u.dim(1);
            SafeTensors.Contents weights = SafeTensors.read(w.weights);
            Precision p = u.dtype() == DType.F64 ? Precision.F64 : Precision.F32;
            Precision wp = weightPrecision(weights.tensors(), w.prefix, w.weights, p);
            if (wp != p) {
                throw new IllegalArgumentException("input " + input + " is " + u.dtype() + " but the weights are " + wp
                    + "; mixed precisions are refused");
            }
            Checks.atLeast("--trunc-len", truncLength, 1);
            Checks.threads(w.backend.threads);
            int trunc = truncLength != null ? truncLength : len;
            // host arrays (input and gradient transposes, y, du and their transposes: 6 signals in float64) and
            // the convolution's buffers; the layer's own arrays are checked when it is built
            long signal = (long) batch * h * len;
            long bytes = MemoryCheck.times(8 * 6, signal);
            if (w.backend.heapBuffers()) {
                long n = JvmBackend.smoothFftLength(len);
                bytes = MemoryCheck.plus(bytes, ConvolutionalLayer.convolutionBytes(batch, h, len, n, true, p),
                    JvmBackend.workspaceBytes(w.backend.workers(), (long) batch * h, n, p));
            }
            MemoryCheck.require("layer run: batch " + batch + " × channels " + h + " × length " + len, bytes);
            try (Backend be = w.backend.create()) {
                ReferenceLayouts.Loaded loaded = w.load(weights.tensors(), h, trunc, p, be);
                try (ConvolutionalLayer layer = loaded.layer()) {
                    double[] x = blh ? transpose(u.data(), batch, len, h) : u.data();
                    double[] y = layer.forward(x, batch, len);
                    Tensor gy = gradOutput == null ? null : Npy.read(gradOutput);
                    if (gy != null && !java.util.Arrays.equals(gy.shape(), u.shape())) {
                        throw new IllegalArgumentException(gradOutput + ": shape " + gy.shapeText() + " differs from the output "
                            + u.shapeText());
                    }
                    Map<String, Tensor> grads = new LinkedHashMap<>();
                    if (gy != null) {
                        layer.zeroGrad();
                        double[] du = new double[x.length];
                        layer.backward(blh ? transpose(gy.data(), batch, len, h) : gy.data(), du);
                        grads.put("du", new Tensor("du", u.dtype(), u.shape(), blh ? transpose(du, batch, h, len) : du));
                        grads.putAll(ReferenceLayouts.export(loaded, u.dtype() == DType.F64 ? DType.F64 : DType.F32, true));
                    }
                    // everything computed: only now write, each file atomically
                    Npy.write(output, new Tensor("y", u.dtype(), u.shape(), blh ? transpose(y, batch, h, len) : y));
                    PrintWriter out = spec.commandLine().getOut();
                    out.printf("%s: %s on %s -> %s %s%n", loaded.kind().id(), layer, input, output, u.shapeText());
                    if (gy != null) {
                        Map<String, String> meta = new LinkedHashMap<>();
                        meta.put("kind", loaded.kind().id());
                        meta.put("layout", blh ? "BLH" : "BHL");
                        meta.put("prefix", w.prefix);
                        SafeTensors.write(gradsOut, grads, meta);
                        out.printf("gradients (du + %d parameter tensors) -> %s%n", grads.size() - 1, gradsOut);
                    }
                    w.backend.report(be, out);
                    out.flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Write the convolution kernel (H, L), or (2, H, L) when bidirectional, without the S4/S4D skip D.")
    static final class Kernel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        WeightOptions w = new WeightOptions();

        @Option(names = "--length", required = true, description = "Kernel length L.")
        int length;

        @Option(names = "--channels", description = "Channels H (needed for rtf weights when --bidirectional is not given).")
        Integer channels;

        @Option(names = "--output", required = true, description = "Output .npy.")
        Path output;

        @Override
        public Integer call() {
            Checks.atLeast("--length", length, 1);
            Checks.atLeast("--channels", channels, 1);
            Checks.threads(w.backend.threads);
            OutputFiles.check("--output", output);
            SafeTensors.Contents weights = SafeTensors.read(w.weights);
            Precision p = weightPrecision(weights.tensors(), w.prefix, w.weights, Precision.F32);
            try (Backend be = w.backend.create()) {
                ReferenceLayouts.Loaded loaded = w.load(weights.tensors(), channels, length, p, be);
                try (ConvolutionalLayer layer = loaded.layer()) {
                    int dirs = layer.bidirectional() ? 2 : 1;
                    int h = layer.channels();
                    // the kernels (dirs × H × L), one direction's copy, the output tensor's values, and the
                    // convolution buffers of a batch of one that kernel() prepares
                    String sizes = "layer kernel: " + dirs + " × channels " + h + " × length " + length;
                    long values = MemoryCheck.times(dirs, h, length);
                    long bytes = MemoryCheck.times(8 * 3, values);
                    if (w.backend.heapBuffers()) {
                        bytes = MemoryCheck.plus(bytes, ConvolutionalLayer.convolutionBytes(1, h, length,
                            be.convolutionFftLength(length), layer.bidirectional(), p));
                    }
                    MemoryCheck.require(sizes, bytes);
                    double[] k = new double[MemoryCheck.arrayLength(sizes, values)];
                    for (int d = 0; d < dirs; d++) {
                        System.arraycopy(layer.kernel(d, length), 0, k, d * h * length, h * length);
                    }
                    for (Parameter q : layer.parameters()) {
                        if (q.name().equals("D")) {
                            for (int c = 0; c < h; c++) {
                                k[c * length] -= q.value()[c];
                            }
                        }
                    }
                    DType dt = p == Precision.F64 ? DType.F64 : DType.F32;
                    Tensor t = dirs == 1 ? Tensor.of("k", dt, k, h, length) : Tensor.of("k", dt, k, 2, h, length);
                    Npy.write(output, t);
                    spec.commandLine().getOut().printf("%s kernel %s -> %s%n", loaded.kind().id(), t.shapeText(), output);
                    spec.commandLine().getOut().flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a freshly initialised layer's parameters in the reference layout (safetensors).")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kind", required = true, description = "Layer kind: ${COMPLETION-CANDIDATES}.")
        Kind kind;

        @Option(names = "--channels", required = true, description = "Channels H.")
        int channels;

        @Option(names = "--state", required = true, description = "State size N.")
        int state;

        @Option(names = "--length", required = true, description = "Kernel length L.")
        int length;

        @Option(names = "--bidirectional", description = "Two-sided layer.")
        boolean bidirectional;

        @Option(names = "--seed", description = "Initialisation seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--dtype", description = "F32 or F64 (default: ${DEFAULT-VALUE}).")
        DType dtype = DType.F32;

        @Option(names = "--output", required = true, description = "Output safetensors file.")
        Path output;

        @Override
        public Integer call() {
            if (!dtype.writable()) {
                throw new IllegalArgumentException("--dtype must be F32 or F64 to be written, got " + dtype);
            }
            Checks.atLeast("--channels", channels, 1);
            Checks.atLeast("--state", state, 1);
            Checks.atLeast("--length", length, 1);
            OutputFiles.check("--output", output);
            Precision p = dtype == DType.F64 ? Precision.F64 : Precision.F32;
            LayerSpec ls = new LayerSpec(kind.kind, channels, state, length, bidirectional, p, seed);
            // the layer (host arrays and its heap buffers on the JVM backend) and the exported copies of its
            // parameters (at most its host bytes again)
            MemoryCheck.require("layer export: channels " + channels + " × state " + state + " × length " + length,
                MemoryCheck.plus(MemoryCheck.times(2, SequenceLayers.hostBytes(ls)), SequenceLayers.bufferBytes(ls, 0, 0, 0)));
            try (JvmBackend be = JvmBackend.withThreads(1);
                 ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(ls, be)) {
                Map<String, Tensor> t = ReferenceLayouts.export(ReferenceLayouts.wrap(layer), dtype, false);
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("kind", kind.name());
                meta.put("trunc_len", String.valueOf(length));
                SafeTensors.write(output, t, meta);
                spec.commandLine().getOut().printf("%s parameters %s -> %s%n", kind, t.values(), output);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    static boolean parseLayout(String layout) {
        if (layout.equalsIgnoreCase("BHL")) {
            return false;
        }
        if (layout.equalsIgnoreCase("BLH")) {
            return true;
        }
        throw new IllegalArgumentException("--layout must be BHL or BLH, got " + layout);
    }

    /** (B, X, Y) to (B, Y, X). */
    static double[] transpose(double[] a, int batch, int x, int y) {
        double[] out = new double[a.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < x; i++) {
                for (int j = 0; j < y; j++) {
                    out[(b * y + j) * x + i] = a[(b * x + i) * y + j];
                }
            }
        }
        return out;
    }
}
