package org.rtf4j.baselines;

import org.rtf4j.kernels.testing.Golden;
import org.rtf4j.layer.ConvolutionalLayer;

/** Helpers of the baseline tests. */
final class BaselineTesting {
    private BaselineTesting() {
    }

    /** Sets the common modal parameters from a golden s4d/s4 file (C from {@code cKey}, a complex (H, M)). */
    static void setFromGolden(ModalLayer layer, Golden g, String cKey) {
        layer.logDt.set(g.real("params.log_dt"));
        layer.aReal.set(g.real("params.A_real"));
        layer.aImag.set(g.real("params.A_imag"));
        layer.bParam.set(g.complex("params.B"));
        layer.cParam.set(g.complex(cKey));
        if (layer.pParam != null) {
            layer.pParam.set(g.complex("params.P"));
        }
    }

    /** Unit impulse at t = 0 in every (b, h) row: the causal output is then the kernel. */
    static double[] impulse(int batch, int h, int len) {
        double[] u = new double[batch * h * len];
        for (int i = 0; i < batch * h; i++) {
            u[i * len] = 1;
        }
        return u;
    }

    /** Kernel of direction 0 with the skip D removed from lag 0. */
    static double[] kernelWithoutSkip(ConvolutionalLayer layer, double[] d, int len) {
        double[] k = layer.kernel(0, len);
        for (int c = 0; c < d.length; c++) {
            k[c * len] -= d[c];
        }
        return k;
    }
}
