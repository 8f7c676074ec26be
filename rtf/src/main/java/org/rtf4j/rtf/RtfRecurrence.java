package org.rtf4j.rtf;

import org.rtf4j.kernels.recurrent.CompanionStep;
import org.rtf4j.layer.Recurrence;

/**
 * Recurrent (step) form of a causal {@link RtfLayer} over (B, H), in float64 on the host. Per channel:
 * companion state {@code x_t = (v_{t−1}, …, v_{t−N})}, {@code y_t = c·x_t + k_0·u_t},
 * {@code v_t = u_t − a·x_t}; O(N) time per step and channel. Built by {@link RtfLayer#recurrent(int)}.
 */
public final class RtfRecurrence implements Recurrence {
    private final int batch;
    private final int h;
    private final int order;
    private final double[] cRev;
    private final double[] aRev;
    private final double[] d;
    private final double[] ring;
    private int pos;

    RtfRecurrence(int batch, int h, int order, double[] cRev, double[] aRev, double[] d) {
        this.batch = batch;
        this.h = h;
        this.order = order;
        this.cRev = cRev;
        this.aRev = aRev;
        this.d = d;
        long size = 2L * order * h * batch;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("recurrent state B*H*2N=" + size + " is too large");
        }
        this.ring = new double[(int) size];
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int channels() {
        return h;
    }

    @Override
    public int stateSize() {
        return order;
    }

    /** Exact numerator c, shape (H, N), c_1 first. */
    public double[] numerator() {
        double[] c = new double[h * order];
        for (int ch = 0; ch < h; ch++) {
            for (int n = 1; n <= order; n++) {
                c[ch * order + n - 1] = cRev[ch * order + order - n];
            }
        }
        return c;
    }

    /** Feed-through k_0 per channel. */
    public double[] feedThrough() {
        return d.clone();
    }

    @Override
    public void step(double[] u, double[] y) {
        int bh = batch * h;
        if (u == null || y == null || u.length != bh || y.length != bh) {
            throw new IllegalArgumentException("u and y must have B*H = " + batch + "*" + h + " = " + bh
                + " elements, got " + (u == null ? "null" : u.length) + " and " + (y == null ? "null" : y.length));
        }
        for (int i = 0; i < bh; i++) {
            if (!Double.isFinite(u[i])) {
                throw new IllegalArgumentException("u has a non-finite value " + u[i] + " at index " + i);
            }
        }
        for (int i = 0; i < bh; i++) {
            int c = i % h;
            y[i] = CompanionStep.step(order, cRev, aRev, c * order, d[c], ring, 2 * order * i, pos, u[i]);
        }
        pos = pos + 1 == order ? 0 : pos + 1;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(ring, 0.0);
        pos = 0;
    }

    @Override
    public void getState(double[] out) {
        checkState(out);
        for (int i = 0; i < batch * h; i++) {
            int ro = 2 * order * i;
            for (int n = 1; n <= order; n++) {
                out[i * order + n - 1] = ring[ro + pos + order - n];
            }
        }
    }

    @Override
    public void setState(double[] in) {
        checkState(in);
        pos = 0;
        for (int i = 0; i < batch * h; i++) {
            int ro = 2 * order * i;
            for (int n = 1; n <= order; n++) {
                double v = in[i * order + n - 1];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("state has a non-finite value " + v + " at index " + (i * order + n - 1));
                }
                ring[ro + order - n] = v;
                ring[ro + 2 * order - n] = v;
            }
        }
    }

    private void checkState(double[] a) {
        int expected = batch * h * order;
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException("state must have B*H*N = " + batch + "*" + h + "*" + order + " = "
                + expected + " elements, got " + (a == null ? "null" : a.length));
        }
    }
}
