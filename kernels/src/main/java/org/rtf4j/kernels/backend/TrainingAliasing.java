package org.rtf4j.kernels.backend;

import static org.rtf4j.kernels.backend.KernelArgs.apart;

/**
 * Which buffers of the training kernels must be apart (the optimiser, normalisation and loss families of
 * {@link AbstractBackend}), each pair refused with {@link KernelArgs#apart}'s one-line message; written out
 * pair by pair, without arrays, so that a steady-state call allocates nothing.
 */
final class TrainingAliasing {
    private TrainingAliasing() {
    }

    /** AdamW: every pair of param, grad, m, v and partials. */
    static void adamW(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, DeviceBuffer partials) {
        apart("grad", grad, "param", param);
        apart("m", m, "param", param, "grad", grad, null, null, null, null);
        apart("v", v, "param", param, "grad", grad, "m", m, null, null);
        apart("partials", partials, "param", param, "grad", grad, "m", m, "v", v);
    }

    /** Layer norm: the statistics mean and invStd are apart from x, y and each other. */
    static void layerNorm(DeviceBuffer x, DeviceBuffer y, DeviceBuffer mean, DeviceBuffer invStd) {
        apart("mean", mean, "x", x, "y", y, null, null, null, null);
        apart("invStd", invStd, "x", x, "y", y, "mean", mean, null, null);
    }

    /** Batch norm: the running and batch statistics are apart from x, y and each other. */
    static void batchNorm(DeviceBuffer x, DeviceBuffer y, DeviceBuffer runningMean, DeviceBuffer runningVar,
                          DeviceBuffer mean, DeviceBuffer invStd) {
        apart("runningMean", runningMean, "x", x, "y", y, null, null, null, null);
        apart("runningVar", runningVar, "x", x, "y", y, "runningMean", runningMean, null, null);
        apart("mean", mean, "x", x, "y", y, "runningMean", runningMean, "runningVar", runningVar);
        apart("invStd", invStd, "x", x, "y", y, "runningMean", runningMean, "runningVar", runningVar);
        apart("invStd", invStd, "mean", mean);
    }

    /** The outputs dx (which may be dy), dGamma and dBeta of a norm backward are apart from every other buffer. */
    static void normBackward(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer invStd,
                             DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dGamma, DeviceBuffer dBeta) {
        apart("dx", dx, "x", x, "gamma", gamma, "mean", mean, "invStd", invStd);
        apart("dGamma", dGamma, "x", x, "gamma", gamma, "mean", mean, "invStd", invStd);
        apart("dGamma", dGamma, "dy", dy, "dx", dx, null, null, null, null);
        apart("dBeta", dBeta, "x", x, "gamma", gamma, "mean", mean, "invStd", invStd);
        apart("dBeta", dBeta, "dy", dy, "dx", dx, "dGamma", dGamma, null, null);
    }

    /** Mean squared error: scalars apart from outputs, grad and targets; grad apart from targets. */
    static void mse(DeviceBuffer outputs, DeviceBuffer targets, DeviceBuffer grad, DeviceBuffer scalars) {
        apart("scalars", scalars, "outputs", outputs, "grad", grad, "targets", targets, null, null);
        apart("grad", grad, "targets", targets);
    }
}
