package org.rtf4j.train.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.SequenceLayer;

/**
 * One residual block (docs/ssm-math.md §6.1) on backend buffers: [norm] → mask → SSM → [GELU] → dropout →
 * [Linear(H→2H) → GLU] → residual dropout (one decision per channel) → [+ input] → [norm]. Padding positions
 * are zeroed before the SSM layer (and on its input gradient), so they never reach a valid output even
 * through a bidirectional layer; every other op acts per position. Every op is a backend kernel; each keeps
 * its output in its own buffer for the backward pass. A numerical failure of the SSM layer leaves with the
 * block's name ({@code blocks.i.ssm}).
 */
final class Block implements AutoCloseable {
    private final String name;
    private final ModelConfig config;
    private final Backend be;
    private final int index;
    private final Norm norm;
    private final SequenceLayer ssm;
    private final Linear out;
    private final Slot u;
    private final Slot v;
    private final Slot act;
    private final Slot drop;
    private final Slot glu;
    private final Slot res;
    private final Slot g1;
    private final Slot g2;
    private final Slot du;
    private HostProfile prof = new HostProfile();
    private int batch;
    private int length;
    private IndexBuffer lengths;
    private boolean padded;
    private DropoutShape dropShape;
    private DropoutShape resShape;
    private DeviceBuffer vOut;
    private DeviceBuffer linearOut;

    Block(String name, int index, ModelConfig config, SequenceLayer ssm, SplittableRandom rng, Backend be) {
        this.name = name;
        this.index = index;
        this.config = config;
        this.be = be;
        Precision p = config.precision();
        int h = config.channels();
        this.norm = config.norm() == ModelConfig.Norm.NONE ? null : new Norm(name + ".norm", config.norm(), h, be, p);
        this.ssm = ssm;
        try {
            this.out = config.glu() ? new Linear(name + ".output_linear", h, 2 * h, rng, be, p) : null;
        } catch (RuntimeException e) {
            if (norm != null) {
                norm.close();
            }
            throw e;
        }
        this.u = new Slot(be, p);
        this.v = new Slot(be, p);
        this.act = new Slot(be, p);
        this.drop = new Slot(be, p);
        this.glu = new Slot(be, p);
        this.res = new Slot(be, p);
        this.g1 = new Slot(be, p);
        this.g2 = new Slot(be, p);
        this.du = new Slot(be, p);
    }

    /** Times the SSM layer's host remainder into {@code p} (the model's, shared by its blocks) from now on. */
    void hostProfile(HostProfile p) {
        this.prof = p;
    }

    SequenceLayer ssm() {
        return ssm;
    }

    Norm norm() {
        return norm;
    }

    /** The block's own weights (norm, output linear); the SSM layer's parameters are apart. */
    List<Weight> weights() {
        List<Weight> ws = new ArrayList<>();
        if (norm != null) {
            ws.addAll(norm.weights());
        }
        if (out != null) {
            ws.addAll(out.weights());
        }
        return ws;
    }

    /** Running statistics of the norm, by name. */
    Map<String, Statistic> statistics() {
        return norm != null ? norm.statistics() : Map.of();
    }

    /**
     * The block's output from x (B, H, ℓ), which must stay unchanged until the backward pass. {@code padded}:
     * some sequence is shorter than ℓ ({@code lengths} says which positions are valid). Dropout masks derive
     * from (seed, step) and the block's index.
     */
    DeviceBuffer forward(DeviceBuffer x, int batch, int length, IndexBuffer lengths, boolean padded, boolean training,
                         long seed, long step) {
        this.batch = batch;
        this.length = length;
        this.lengths = lengths;
        this.padded = padded;
        int h = config.channels();
        long n = (long) batch * h * length;
        NormShape signal = new NormShape(batch, h, length);
        DeviceBuffer z = x;
        if (norm != null && config.prenorm()) {
            z = norm.forward(x, batch, length, lengths, training);
        }
        DeviceBuffer in = z;
        if (padded) {
            if (z == x) {
                in = u.get(n);
                be.zero(in);
                be.axpy(AxpyShape.of((int) n), 1.0, x, in);
            }
            // the norm's output is not needed by its backward pass: masked in place
            be.maskPadding(signal, lengths, in);
        }
        vOut = v.get(n);
        long k0 = prof.kernelNanos();
        long t0 = prof.start();
        try {
            ssm.forward(in, batch, length, vOut);
        } catch (NumericalFailureException e) {
            // e.g. a denominator that reached the unit circle: say which layer (bad input passes unchanged)
            throw e.inLayer(name + ".ssm");
        }
        prof.stopOutside(HostProfile.SSM_FORWARD_OTHER, t0, k0);
        DeviceBuffer t = vOut;
        if (config.activation() == ModelConfig.Activation.GELU) {
            DeviceBuffer a = act.get(n);
            be.gelu(new ActivationShape(batch, h, length), t, a);
            t = a;
        }
        dropShape = training && config.dropout() > 0
            ? new DropoutShape(batch, h, length, config.dropout(), false, seed, step, 2 * index) : null;
        if (dropShape != null) {
            DeviceBuffer d = drop.get(n);
            be.dropout(dropShape, t, d);
            t = d;
        }
        if (out != null) {
            linearOut = out.forward(t, batch, length);
            DeviceBuffer gl = glu.get(n);
            be.glu(new ActivationShape(batch, 2 * h, length), linearOut, gl);
            t = gl;
        }
        resShape = training && config.residualDropout() > 0
            ? new DropoutShape(batch, h, length, config.residualDropout(), true, seed, step, 2 * index + 1) : null;
        if (resShape != null) {
            DeviceBuffer r = res.get(n);
            be.dropout(resShape, t, r);
            t = r;
        }
        if (config.residual()) {
            // in place: no backward pass reads t (the SSM layer's, GELU's, dropout's and GLU's read their inputs
            // or nothing), and t is never x
            be.axpy(AxpyShape.of((int) n), 1.0, x, t);
        }
        if (norm != null && !config.prenorm()) {
            t = norm.forward(t, batch, length, lengths, training);
        }
        return t;
    }

    /** dx from dy (B, H, ℓ), which this may overwrite; accumulates every parameter gradient of the block. */
    DeviceBuffer backward(DeviceBuffer dy) {
        int h = config.channels();
        int n = batch * h * length;
        NormShape signal = new NormShape(batch, h, length);
        DeviceBuffer g = dy;
        if (norm != null && !config.prenorm()) {
            g = norm.backward(g);
        }
        DeviceBuffer dres = config.residual() ? g : null;
        // gv is overwritten in place once it is a buffer of this block (not the incoming gradient, which the
        // residual still needs)
        DeviceBuffer gv = g;
        boolean own = false;
        if (resShape != null) {
            DeviceBuffer d = g1.get(n);
            be.dropoutBackward(resShape, gv, d);
            gv = d;
            own = true;
        }
        if (out != null) {
            DeviceBuffer d = g2.get(2L * n);
            be.gluBackward(new ActivationShape(batch, 2 * h, length), linearOut, gv, d);
            gv = out.backward(d);
            own = true;
        }
        if (dropShape != null) {
            DeviceBuffer d = own ? gv : g1.get(n);
            be.dropoutBackward(dropShape, gv, d);
            gv = d;
            own = true;
        }
        if (config.activation() == ModelConfig.Activation.GELU) {
            DeviceBuffer d = own ? gv : g1.get(n);
            be.geluBackward(new ActivationShape(batch, h, length), vOut, gv, d);
            gv = d;
        }
        DeviceBuffer d = du.get(n);
        long k0 = prof.kernelNanos();
        long t0 = prof.start();
        try {
            ssm.backward(gv, d);
        } catch (NumericalFailureException e) {
            throw e.inLayer(name + ".ssm");
        }
        prof.stopOutside(HostProfile.SSM_BACKWARD_OTHER, t0, k0);
        if (padded) {
            be.maskPadding(signal, lengths, d);
        }
        DeviceBuffer dx = d;
        if (norm != null && config.prenorm()) {
            dx = norm.backward(d);
        }
        if (dres != null) {
            be.axpy(AxpyShape.of(n), 1.0, dres, dx);
        }
        return dx;
    }

    @Override
    public void close() {
        ssm.close();
        if (norm != null) {
            norm.close();
        }
        if (out != null) {
            out.close();
        }
        for (Slot s : new Slot[] {u, v, act, drop, glu, res, g1, g2, du}) {
            s.close();
        }
    }
}
