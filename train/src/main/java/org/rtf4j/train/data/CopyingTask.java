package org.rtf4j.train.data;

import java.util.Arrays;

/**
 * The Copying task (reference §12.3): {@code M} tokens drawn uniformly from {1, …, A−2}, then {@code L_noise}
 * blanks (token 0), then {@code M} markers (token A−1). The target is the {@code M} drawn tokens, read out at
 * the marker positions, and −1 (ignored) elsewhere. Input length {@code 2M + L_noise}, vocabulary A, A classes.
 */
public final class CopyingTask extends GeneratedDataset {

    static final TaskOptions OPTIONS = new TaskOptions("copying")
        .add("tokens", 128, "M, number of tokens to copy (the paper uses 1024)")
        .add("alphabet", 64, "A, alphabet size: data tokens 1..A-2, blank 0, marker A-1")
        .add("noise", 0, "L_noise, number of blanks between the tokens and the markers")
        .add("train-size", 10000, "fresh training sequences per epoch")
        .add("test-size", 1000, "fixed test sequences");

    private final int tokens;
    private final int alphabet;
    private final int noise;

    /** The task from its options. */
    public static CopyingTask open(TaskConfig config) {
        TaskOptions.Values v = OPTIONS.parse(config.options());
        int m = v.integer("tokens", 1, 1 << 20);
        int a = v.integer("alphabet", 3, 1 << 16);
        int noise = v.integer("noise", 0, 1 << 20);
        return new CopyingTask(config.seed(), m, a, noise, v.integer("train-size", 1, Integer.MAX_VALUE),
            v.integer("test-size", 1, Integer.MAX_VALUE));
    }

    CopyingTask(long seed, int tokens, int alphabet, int noise, int trainSize, int testSize) {
        super(new TaskSpec("copying", alphabet, 0, alphabet, TaskSpec.Target.TOKEN_CLASS, 2 * tokens + noise),
            seed, trainSize, testSize);
        this.tokens = tokens;
        this.alphabet = alphabet;
        this.noise = noise;
    }

    @Override
    Example generate(Rng rng) {
        int length = 2 * tokens + noise;
        int[] in = new int[length];
        int[] target = new int[length];
        Arrays.fill(target, -1);
        int start = tokens + noise;
        for (int i = 0; i < tokens; i++) {
            int token = 1 + rng.nextInt(alphabet - 2);
            in[i] = token;
            in[start + i] = alphabet - 1;
            target[start + i] = token;
        }
        return new Example(length, in, null, -1, target, null);
    }
}
