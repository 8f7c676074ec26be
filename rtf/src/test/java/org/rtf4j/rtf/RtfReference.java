package org.rtf4j.rtf;

/**
 * Independent float64 references for RTF tests: kernels by naive DFT sums (no FFT), outputs by direct
 * O(ℓ²) convolution sums.
 */
final class RtfReference {
    private RtfReference() {
    }

    /**
     * Kernel of one channel, {@code irfft_P(B/A + h0)[0:ell]} with every transform a naive O(P·N) or
     * O(P²) sum: a and b are the N coefficients a_1..a_N and b_1..b_N.
     */
    static double[] kernel(double[] a, int ao, double[] b, int bo, double h0, int order, int len, int ell) {
        int p = len + (len & 1);
        int bins = p / 2 + 1;
        double[] kr = new double[bins];
        double[] ki = new double[bins];
        for (int k = 0; k < bins; k++) {
            double ar = 1;
            double ai = 0;
            double br = 0;
            double bi = 0;
            for (int n = 1; n <= order; n++) {
                double ang = -2 * Math.PI * (((long) k * n) % p) / p;
                double c = Math.cos(ang);
                double s = Math.sin(ang);
                ar += a[ao + n - 1] * c;
                ai += a[ao + n - 1] * s;
                br += b[bo + n - 1] * c;
                bi += b[bo + n - 1] * s;
            }
            double inv = 1 / (ar * ar + ai * ai);
            kr[k] = (br * ar + bi * ai) * inv + h0;
            ki[k] = (bi * ar - br * ai) * inv;
        }
        double[] out = new double[ell];
        for (int t = 0; t < ell; t++) {
            double s = kr[0];
            for (int k = 1; k < bins; k++) {
                double ang = 2 * Math.PI * (((long) k * t) % p) / p;
                double term = kr[k] * Math.cos(ang) - ki[k] * Math.sin(ang);
                s += (p % 2 == 0 && k == p / 2) ? term : 2 * term;
            }
            out[t] = s / p;
        }
        return out;
    }

    /** Direct causal or two-sided convolution of (B, H, ell) signals with (H, ell) kernels. */
    static double[] conv(double[] kf, double[] kb, double[] u, int batch, int h, int ell) {
        double[] y = new double[batch * h * ell];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < h; c++) {
                int o = (b * h + c) * ell;
                for (int t = 0; t < ell; t++) {
                    double acc = 0;
                    for (int j = 0; j <= t; j++) {
                        acc += kf[c * ell + t - j] * u[o + j];
                    }
                    if (kb != null) {
                        for (int j = t + 1; j < ell; j++) {
                            acc += kb[c * ell + j - t - 1] * u[o + j];
                        }
                    }
                    y[o + t] = acc;
                }
            }
        }
        return y;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
