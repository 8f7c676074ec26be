package org.rtf4j.train.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rtf4j.kernels.jvm.JvmExecutor;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Parameter;
import org.rtf4j.layer.SequenceLayer;

/**
 * One residual block (docs/ssm-math.md §6.1). Padding positions are zeroed before the SSM layer, so they never
 * reach a valid output even through a bidirectional layer; every other op acts per position. A numerical
 * failure of the SSM layer leaves with the block's name ({@code blocks.i.ssm}); bad input passes unchanged.
 */
final class Block implements AutoCloseable {
    private final String name;
    private final ModelConfig config;
    private final Normalization norm;
    private final SequenceLayer ssm;
    private final Gelu gelu;
    private final Dropout dropout;
    private final Linear out;
    private final Glu glu;
    private final Dropout residualDropout;
    private int batch;
    private int length;
    private int[] lengths;

    Block(String name, ModelConfig config, SequenceLayer ssm, SplittableRandom rng, JvmExecutor host) {
        this.name = name;
        this.config = config;
        int h = config.channels();
        this.norm = config.norm() == ModelConfig.Norm.LAYER ? new LayerNorm(name + ".norm", h, host)
            : config.norm() == ModelConfig.Norm.BATCH ? new BatchNorm(name + ".norm", h, host) : null;
        this.ssm = ssm;
        this.gelu = config.activation() == ModelConfig.Activation.GELU ? new Gelu() : null;
        this.dropout = new Dropout(config.dropout(), false);
        this.out = config.glu() ? new Linear(name + ".output_linear", h, 2 * h, rng, host) : null;
        this.glu = config.glu() ? new Glu() : null;
        this.residualDropout = new Dropout(config.residualDropout(), true);
    }

    SequenceLayer ssm() {
        return ssm;
    }

    /** Running statistics of the norm, by name. */
    java.util.Map<String, double[]> buffers() {
        return norm != null ? norm.buffers() : java.util.Map.of();
    }

    /** Parameters with their names relative to the block. */
    List<Parameter> ownParameters() {
        List<Parameter> ps = new ArrayList<>();
        if (norm != null) {
            ps.addAll(norm.parameters());
        }
        if (out != null) {
            ps.addAll(out.parameters());
        }
        return ps;
    }

    double[] forward(double[] x, int batch, int length, int[] lengths, boolean training, long seed) {
        this.batch = batch;
        this.length = length;
        this.lengths = lengths;
        int h = config.channels();
        double[] z = norm != null && config.prenorm() ? norm.forward(x, batch, length, lengths, training) : x;
        double[] u = Masks.zeroPadding(z.clone(), batch, h, length, lengths);
        double[] v = new double[u.length];
        try {
            ssm.forward(u, batch, length, v);
        } catch (NumericalFailureException e) {
            // e.g. a denominator that reached the unit circle: say which layer (bad input passes unchanged)
            throw e.inLayer(name + ".ssm");
        }
        if (gelu != null) {
            v = gelu.forward(v);
        }
        v = dropout.forward(v, batch, h, length, training, seed);
        if (out != null) {
            v = glu.forward(out.forward(v, batch, length), batch, 2 * h, length);
        }
        v = residualDropout.forward(v, batch, h, length, training, seed ^ 0x5DEECE66DL);
        if (config.residual()) {
            for (int i = 0; i < v.length; i++) {
                v[i] += x[i];
            }
        }
        if (norm != null && !config.prenorm()) {
            v = norm.forward(v, batch, length, lengths, training);
        }
        return v;
    }

    double[] backward(double[] dy) {
        int h = config.channels();
        double[] g = dy;
        if (norm != null && !config.prenorm()) {
            g = norm.backward(g);
        }
        double[] dres = config.residual() ? g : null;
        double[] gv = residualDropout.backward(g);
        if (out != null) {
            gv = out.backward(glu.backward(gv));
        }
        gv = dropout.backward(gv);
        if (gelu != null) {
            gv = gelu.backward(gv);
        }
        double[] du = new double[gv.length];
        try {
            ssm.backward(gv, du);
        } catch (NumericalFailureException e) {
            throw e.inLayer(name + ".ssm");
        }
        Masks.zeroPadding(du, batch, h, length, lengths);
        double[] dx = norm != null && config.prenorm() ? norm.backward(du) : du;
        if (dres != null) {
            for (int i = 0; i < dx.length; i++) {
                dx[i] += dres[i];
            }
        }
        return dx;
    }

    @Override
    public void close() {
        ssm.close();
    }
}
