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
    private final String normName;
    private HostProfile prof = new HostProfile();
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
        this.gelu = config.activation() == ModelConfig.Activation.GELU ? new Gelu(host) : null;
        this.dropout = new Dropout(config.dropout(), false);
        this.out = config.glu() ? new Linear(name + ".output_linear", h, 2 * h, rng, host) : null;
        this.glu = config.glu() ? new Glu(host) : null;
        this.residualDropout = new Dropout(config.residualDropout(), true);
        this.normName = norm instanceof BatchNorm ? "batchnorm" : "layernorm";
    }

    /** Times the block's host ops into {@code p} (the model's, shared by its blocks) from now on. */
    void hostProfile(HostProfile p) {
        this.prof = p;
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
        long t = prof.start();
        double[] z = x;
        if (norm != null && config.prenorm()) {
            z = norm.forward(x, batch, length, lengths, training);
            t = lap(normName + ".forward", t);
        }
        double[] u = Masks.zeroPadding(z.clone(), batch, h, length, lengths);
        double[] v = new double[u.length];
        prof.stop("mask.forward", t);
        long k0 = prof.kernelNanos();
        t = prof.start();
        try {
            ssm.forward(u, batch, length, v);
        } catch (NumericalFailureException e) {
            // e.g. a denominator that reached the unit circle: say which layer (bad input passes unchanged)
            throw e.inLayer(name + ".ssm");
        }
        prof.stopOutside(HostProfile.SSM_FORWARD_OTHER, t, k0);
        t = prof.start();
        if (gelu != null) {
            v = gelu.forward(v);
            t = lap("gelu.forward", t);
        }
        if (dropout.p() > 0) {
            v = dropout.forward(v, batch, h, length, training, seed);
            t = lap("dropout.forward", t);
        }
        if (out != null) {
            v = out.forward(v, batch, length);
            t = lap("output_linear.forward", t);
            v = glu.forward(v, batch, 2 * h, length);
            t = lap("glu.forward", t);
        }
        if (residualDropout.p() > 0) {
            v = residualDropout.forward(v, batch, h, length, training, seed ^ 0x5DEECE66DL);
            t = lap("residual_dropout.forward", t);
        }
        if (config.residual()) {
            for (int i = 0; i < v.length; i++) {
                v[i] += x[i];
            }
            t = lap("residual.forward", t);
        }
        if (norm != null && !config.prenorm()) {
            v = norm.forward(v, batch, length, lengths, training);
            lap(normName + ".forward", t);
        }
        return v;
    }

    double[] backward(double[] dy) {
        int h = config.channels();
        double[] g = dy;
        long t = prof.start();
        if (norm != null && !config.prenorm()) {
            g = norm.backward(g);
            t = lap(normName + ".backward", t);
        }
        double[] dres = config.residual() ? g : null;
        double[] gv = g;
        if (residualDropout.p() > 0) {
            gv = residualDropout.backward(gv);
            t = lap("residual_dropout.backward", t);
        }
        if (out != null) {
            gv = glu.backward(gv);
            t = lap("glu.backward", t);
            gv = out.backward(gv);
            t = lap("output_linear.backward", t);
        }
        if (dropout.p() > 0) {
            gv = dropout.backward(gv);
            t = lap("dropout.backward", t);
        }
        if (gelu != null) {
            gv = gelu.backward(gv);
            t = lap("gelu.backward", t);
        }
        double[] du = new double[gv.length];
        // the allocation is counted with the masking after the layer: one mask.backward record a block
        long alloc = prof.start() - t;
        long k0 = prof.kernelNanos();
        t = prof.start();
        try {
            ssm.backward(gv, du);
        } catch (NumericalFailureException e) {
            throw e.inLayer(name + ".ssm");
        }
        prof.stopOutside(HostProfile.SSM_BACKWARD_OTHER, t, k0);
        t = prof.start();
        Masks.zeroPadding(du, batch, h, length, lengths);
        t = lap("mask.backward", t - alloc);
        double[] dx = du;
        if (norm != null && config.prenorm()) {
            dx = norm.backward(du);
            t = lap(normName + ".backward", t);
        }
        if (dres != null) {
            for (int i = 0; i < dx.length; i++) {
                dx[i] += dres[i];
            }
            lap("residual.backward", t);
        }
        return dx;
    }

    /** Records op {@code op} from {@code t} to now and returns the start of the next op (0 when off). */
    private long lap(String op, long t) {
        prof.stop(op, t);
        return prof.start();
    }

    @Override
    public void close() {
        ssm.close();
    }
}
