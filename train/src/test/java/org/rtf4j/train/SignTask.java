package org.rtf4j.train;

import java.util.SplittableRandom;
import org.rtf4j.train.data.Dataset;
import org.rtf4j.train.data.Example;
import org.rtf4j.train.data.Split;
import org.rtf4j.train.data.TaskSpec;

/** A tiny learnable fixture: is the sum of a noisy real sequence positive? Variable lengths 3…8. */
final class SignTask implements Dataset {
    private final boolean fresh;

    SignTask(boolean fresh) {
        this.fresh = fresh;
    }

    @Override
    public TaskSpec spec() {
        return new TaskSpec("sign", 0, 1, 2, TaskSpec.Target.SEQUENCE_CLASS, 8);
    }

    @Override
    public int size(Split split) {
        return split == Split.TRAIN ? 64 : 32;
    }

    @Override
    public boolean generatesFreshTrainingExamples() {
        return fresh;
    }

    @Override
    public Example get(Split split, long index) {
        if (index < 0 || (!fresh || split == Split.TEST) && index >= size(split)) {
            throw new IllegalArgumentException("index " + index + " outside [0, " + size(split) + ")");
        }
        SplittableRandom r = new SplittableRandom(index * 2 + (split == Split.TEST ? 1 : 0));
        int len = 3 + r.nextInt(6);
        float[] f = new float[len];
        double s = 0;
        for (int t = 0; t < len; t++) {
            f[t] = (float) (2 * r.nextDouble() - 1);
            s += f[t];
        }
        return Example.features(f, 1, s > 0 ? 1 : 0);
    }
}
