package org.rtf4j.train.data;

import org.rtf4j.kernels.fft.FftF64;
import org.rtf4j.kernels.fft.RealFftPlan;

/**
 * Band-limited white noise as the Delay task defines it (reference §12.3, after the state-spaces
 * {@code whitesignal}): {@code n_c = ⌈ℓ/2⌉}, {@code n_c + 1} complex Gaussian bins with standard deviation
 * {@code 0.5·√0.5} per part (imaginary parts drawn first), bin 0 zero, the last bin's imaginary part zero, bins
 * whose frequency {@code k/(2·n_c·dt)} exceeds the band zeroed, the rest scaled by
 * {@code 1/√(1 − n_zeroed/n_c)} and by {@code √(2·n_c)}; {@code x = irfft_{2n_c}}, its first ℓ samples, minus
 * {@code x_0} so the signal starts at 0.
 */
final class BandLimitedNoise {

    private static final double RMS = 0.5;

    private final int length;
    private final int bins;
    private final boolean[] zeroed;
    private final double scale;

    /**
     * @param length ℓ, samples
     * @param dt     sampling step in seconds
     * @param band   highest kept frequency in Hz
     */
    BandLimitedNoise(int length, double dt, double band) {
        double period = length * dt;
        if (band < 1.0 / period) {
            throw new IllegalArgumentException("delay: option band expected ≥ 1/(length·dt) = " + (1.0 / period)
                + " Hz for a non-zero signal, got " + band);
        }
        double nyquist = 0.5 / dt;
        if (band > nyquist) {
            throw new IllegalArgumentException("delay: option band expected ≤ the Nyquist frequency 0.5/dt = "
                + nyquist + " Hz, got " + band);
        }
        this.length = length;
        int nc = (length + 1) / 2;
        this.bins = nc + 1;
        this.zeroed = new boolean[bins];
        int nZero = 0;
        for (int k = 0; k < bins; k++) {
            double freq = k / (2.0 * nc * dt);   // numpy rfftfreq(2·n_c, d=dt)
            if (freq > band) {
                zeroed[k] = true;
                nZero++;
            }
        }
        double correction = StrictMath.sqrt(1.0 - (double) nZero / nc);
        this.scale = (correction > 0 ? 1.0 / correction : 1.0) * StrictMath.sqrt(2.0 * nc);
    }

    /** The index of the highest bin that may be non-zero, for checks. */
    int highestBin() {
        int k = bins - 1;
        while (k > 0 && zeroed[k]) {
            k--;
        }
        return k;
    }

    /** One signal of ℓ samples. */
    double[] sample(Rng rng) {
        double sigma = RMS * StrictMath.sqrt(0.5);
        double[] re = new double[bins];
        double[] im = new double[bins];
        for (int k = 0; k < bins; k++) {
            im[k] = sigma * rng.nextGaussian();
        }
        im[bins - 1] = 0;
        for (int k = 0; k < bins; k++) {
            re[k] = sigma * rng.nextGaussian();
        }
        re[0] = 0;
        im[0] = 0;
        for (int k = 0; k < bins; k++) {
            if (zeroed[k]) {
                re[k] = 0;
                im[k] = 0;
            } else {
                re[k] *= scale;
                im[k] *= scale;
            }
        }
        double[] spec = new double[2 * bins];
        for (int k = 0; k < bins; k++) {
            spec[2 * k] = re[k];
            spec[2 * k + 1] = im[k];
        }
        double[] x = new double[length];
        // our float64 FFT kernel (numpy's irfft: scaled by 1/n); the plan is looked up (cached) here, not
        // when the task opens, so that opening a long Delay task allocates nothing before the memory check
        RealFftPlan fft = RealFftPlan.of(2 * ((length + 1) / 2));
        FftF64.realInverse(fft, spec, 0, x, 0, length, new double[fft.scratchLength()], 0);
        double x0 = x[0];
        for (int t = 0; t < length; t++) {
            x[t] -= x0;
        }
        return x;
    }
}
