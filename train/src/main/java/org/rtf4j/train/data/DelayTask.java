package org.rtf4j.train.data;

/**
 * The Delay task (reference §12.3): the input is band-limited white noise {@code x} ({@link BandLimitedNoise})
 * of ℓ samples, the target {@code y_t = x_{t−delay}} (0 for {@code t < delay}); one input channel, one output
 * channel, mean squared error. Values are computed in double precision and stored as float.
 */
public final class DelayTask extends GeneratedDataset {

    static final TaskOptions OPTIONS = new TaskOptions("delay")
        .add("length", 4000, "ℓ, samples per sequence")
        .add("delay", 1000, "delay in samples")
        .add("dt", 2.5e-4, "sampling step in seconds")
        .add("band", 1000, "band limit in Hz")
        .add("train-size", 16384, "fresh training sequences per epoch")
        .add("test-size", 1024, "fixed test sequences");

    private final int length;
    private final int delay;
    private final BandLimitedNoise noise;

    /** The task from its options. */
    public static DelayTask open(TaskConfig config) {
        TaskOptions.Values v = OPTIONS.parse(config.options());
        int length = v.integer("length", 2, 1 << 24);
        int delay = v.integer("delay", 0, length - 1);
        double dt = v.real("dt", Double.MIN_NORMAL, Double.MAX_VALUE);
        double band = v.real("band", Double.MIN_NORMAL, Double.MAX_VALUE);
        return new DelayTask(config.seed(), length, delay, dt, band, v.integer("train-size", 1, Integer.MAX_VALUE),
            v.integer("test-size", 1, Integer.MAX_VALUE));
    }

    DelayTask(long seed, int length, int delay, double dt, double band, int trainSize, int testSize) {
        super(new TaskSpec("delay", 0, 1, 1, TaskSpec.Target.REGRESSION, length), seed, trainSize, testSize);
        this.length = length;
        this.delay = delay;
        this.noise = new BandLimitedNoise(length, dt, band);
    }

    BandLimitedNoise noise() {
        return noise;
    }

    @Override
    Example generate(Rng rng) {
        double[] x = noise.sample(rng);
        float[] in = new float[length];
        float[] y = new float[length];
        for (int t = 0; t < length; t++) {
            in[t] = (float) x[t];
            if (t >= delay) {
                y[t] = (float) x[t - delay];
            }
        }
        return new Example(length, null, in, -1, null, y);
    }
}
