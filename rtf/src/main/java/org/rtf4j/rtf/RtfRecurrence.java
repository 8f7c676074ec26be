package org.rtf4j.rtf;

import org.rtf4j.kernels.backend.MemoryCheck;
import org.rtf4j.kernels.recurrent.CompanionStep;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.layer.RecurrenceChecks;

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
        this.ring = new double[MemoryCheck.arrayLength("rtf recurrent state of batch " + batch + " × channels " + h
            + " × 2 × state " + order, MemoryCheck.times(2, order, h, batch))];
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
        RecurrenceChecks.stepArrays(u, y, batch, h);
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
        RecurrenceChecks.state(out, batch * h * order, batch, h, order);
        for (int i = 0; i < batch * h; i++) {
            int ro = 2 * order * i;
            for (int n = 1; n <= order; n++) {
                out[i * order + n - 1] = ring[ro + pos + order - n];
            }
        }
    }

    @Override
    public void setState(double[] in) {
        RecurrenceChecks.state(in, batch * h * order, batch, h, order);
        RecurrenceChecks.finite(in);
        pos = 0;
        for (int i = 0; i < batch * h; i++) {
            int ro = 2 * order * i;
            for (int n = 1; n <= order; n++) {
                double v = in[i * order + n - 1];
                ring[ro + order - n] = v;
                ring[ro + 2 * order - n] = v;
            }
        }
    }
}
