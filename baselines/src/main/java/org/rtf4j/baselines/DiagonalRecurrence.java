package org.rtf4j.baselines;

import org.rtf4j.layer.Recurrence;

/**
 * Diagonal complex recurrence over (B, H) with M modes per channel, in float64:
 * {@code s ← Λ̄ ⊙ s + B̄ u_t},  {@code y_t = 2·Re Σ_m C_m s_m + D u_t}. The state of one (b, h) is
 * stored as M interleaved complex numbers, i.e. N = 2M reals.
 */
final class DiagonalRecurrence implements Recurrence {
    private final int batch;
    private final int h;
    private final int modes;
    private final double[] zbar;
    private final double[] bbar;
    private final double[] c;
    private final double[] d;
    private final double[] state;

    DiagonalRecurrence(int batch, int h, int modes, double[] zbar, double[] bbar, double[] c, double[] d) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch=" + batch + " must be >= 1");
        }
        this.batch = batch;
        this.h = h;
        this.modes = modes;
        this.zbar = zbar;
        this.bbar = bbar;
        this.c = c;
        this.d = d;
        this.state = new double[2 * batch * h * modes];
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
        return 2 * modes;
    }

    @Override
    public void step(double[] u, double[] y) {
        RecurrenceChecks.stepArrays(u, y, batch, h);
        for (int i = 0; i < batch * h; i++) {
            int ch = i % h;
            double ut = u[i];
            double acc = d[ch] * ut;
            int so = 2 * i * modes;
            int po = 2 * ch * modes;
            for (int m = 0; m < modes; m++) {
                int s = so + 2 * m;
                int q = po + 2 * m;
                double sr = state[s] * zbar[q] - state[s + 1] * zbar[q + 1] + bbar[q] * ut;
                double si = state[s] * zbar[q + 1] + state[s + 1] * zbar[q] + bbar[q + 1] * ut;
                state[s] = sr;
                state[s + 1] = si;
                acc += 2 * (c[q] * sr - c[q + 1] * si);
            }
            y[i] = acc;
        }
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(state, 0.0);
    }

    @Override
    public void getState(double[] out) {
        RecurrenceChecks.state(out, state.length, batch, h, 2 * modes);
        System.arraycopy(state, 0, out, 0, state.length);
    }

    @Override
    public void setState(double[] in) {
        RecurrenceChecks.state(in, state.length, batch, h, 2 * modes);
        RecurrenceChecks.finite(in);
        System.arraycopy(in, 0, state, 0, state.length);
    }
}
