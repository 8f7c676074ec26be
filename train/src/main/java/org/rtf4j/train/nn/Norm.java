package org.rtf4j.train.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.layer.Parameter;

/**
 * A normalisation op of the blocks on backend buffers: LayerNorm over the channels at each position, or
 * BatchNorm per channel over the valid positions of the batch (running statistics with momentum 0.1 and the
 * unbiased variance, used in eval mode), as PyTorch's {@code LayerNorm}/{@code BatchNorm1d} with ε = 1e-5;
 * weight 1 and bias 0 at the start. The kernels are the backend's ({@code Backend.layerNorm},
 * {@code Backend.batchNorm} and their backward passes).
 */
final class Norm implements AutoCloseable {
    private final boolean batchNorm;
    private final Backend be;
    private final Weight gain;
    private final Weight bias;
    private final Statistic runningMean;
    private final Statistic runningVar;
    private final Map<String, Statistic> statistics = new LinkedHashMap<>();
    private final Slot y;
    private final Slot dx;
    private final Slot mean;
    private final Slot invStd;
    private DeviceBuffer x;
    private IndexBuffer lengths;
    private NormShape shape;
    private boolean training;

    Norm(String name, ModelConfig.Norm kind, int dim, Backend be, Precision p) {
        this.batchNorm = kind == ModelConfig.Norm.BATCH;
        this.be = be;
        Parameter g = new Parameter(name + ".weight", new int[] {dim}, false);
        java.util.Arrays.fill(g.value(), 1.0);
        Weight wg = null;
        Weight wb = null;
        Statistic mean = null;
        Statistic var = null;
        try {
            wg = new Weight(g, be, p);
            wb = new Weight(new Parameter(name + ".bias", new int[] {dim}, false), be, p);
            if (batchNorm) {
                double[] ones = new double[dim];
                java.util.Arrays.fill(ones, 1.0);
                mean = new Statistic(be, p, new double[dim]);
                var = new Statistic(be, p, ones);
            }
        } catch (RuntimeException e) {
            if (wg != null) {
                wg.close();
            }
            if (wb != null) {
                wb.close();
            }
            if (mean != null) {
                mean.close();
            }
            throw e;
        }
        this.gain = wg;
        this.bias = wb;
        this.runningMean = mean;
        this.runningVar = var;
        if (batchNorm) {
            statistics.put(name + ".running_mean", runningMean);
            statistics.put(name + ".running_var", runningVar);
        }
        this.y = new Slot(be, p);
        this.dx = new Slot(be, p);
        this.mean = new Slot(be, p);
        this.invStd = new Slot(be, p);
    }

    /** "batchnorm" or "layernorm". */
    String kind() {
        return batchNorm ? "batchnorm" : "layernorm";
    }

    List<Weight> weights() {
        return List.of(gain, bias);
    }

    /** Running statistics by full name (BatchNorm), empty for LayerNorm. */
    Map<String, Statistic> statistics() {
        return statistics;
    }

    /** y from x (B, H, ℓ); the valid lengths and the mode matter to BatchNorm only. Keeps x for the backward. */
    DeviceBuffer forward(DeviceBuffer x, int batch, int length, IndexBuffer lengths, boolean training) {
        this.x = x;
        this.lengths = lengths;
        this.training = training;
        this.shape = new NormShape(batch, gain.size(), length);
        DeviceBuffer out = y.get(shape.count());
        int stats = batchNorm ? gain.size() : shape.positions();
        DeviceBuffer m = mean.get(stats);
        DeviceBuffer s = invStd.get(stats);
        if (batchNorm) {
            be.batchNorm(shape, training, x, lengths, gain.value(), bias.value(), runningMean.value(), runningVar.value(),
                out, m, s);
        } else {
            be.layerNorm(shape, x, gain.value(), bias.value(), out, m, s);
        }
        return out;
    }

    /** dx from dy; accumulates the weight and bias gradients. */
    DeviceBuffer backward(DeviceBuffer dy) {
        DeviceBuffer d = dx.get(shape.count());
        if (batchNorm) {
            be.batchNormBackward(shape, training, x, lengths, gain.value(), mean.current(), invStd.current(), dy, d,
                gain.grad(), bias.grad());
        } else {
            be.layerNormBackward(shape, x, gain.value(), mean.current(), invStd.current(), dy, d, gain.grad(), bias.grad());
        }
        return d;
    }

    @Override
    public void close() {
        gain.close();
        bias.close();
        for (Statistic s : statistics.values()) {
            s.close();
        }
        for (Slot s : new Slot[] {y, dx, mean, invStd}) {
            s.close();
        }
    }
}
