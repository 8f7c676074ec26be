package org.rtf4j.kernels.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OpenCL C source of the backend's program: one file per job, in the resources beside this class,
 * concatenated in this order (each later file uses the types and helpers of {@code common.cl}, and the
 * convolution uses the FFT's): {@code common.cl} (precision types, complex helpers, bit tests),
 * {@code fft.cl}, {@code convolution.cl}, {@code rational.cl} (RTF spectrum), {@code modal.cl} (S4D
 * Vandermonde, S4 Cauchy), {@code dense.cl} (GEMM, activations), {@code optim.cl} (bias add and gradient,
 * axpy, squared norms, AdamW), {@code norm.cl} (normalisation, dropout) and {@code ends.cl} (embedding,
 * pooling, losses). {@link ClKernel} lists every
 * {@code __kernel} of the whole program; {@code ClKernelSourceTest} checks it against {@link #text()}.
 */
final class ClSource {
    /** The files, in program order. */
    static final List<String> FILES = List.of("common.cl", "fft.cl", "convolution.cl", "rational.cl", "modal.cl", "dense.cl",
        "optim.cl", "norm.cl", "ends.cl");

    private static final String TEXT = load();

    private ClSource() {
    }

    /** The whole program's source. */
    static String text() {
        return TEXT;
    }

    private static String load() {
        StringBuilder b = new StringBuilder();
        for (String f : FILES) {
            try (InputStream in = ClSource.class.getResourceAsStream(f)) {
                if (in == null) {
                    throw new IllegalStateException("kernel source org/rtf4j/kernels/opencl/" + f + " is missing from the jar");
                }
                b.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the kernel source " + f + ": " + e, e);
            }
        }
        return b.toString();
    }
}
