package org.rtf4j.cli.study;

import java.util.ArrayList;
import java.util.List;
import org.rtf4j.cli.study.StudyCase.Phase;
import org.rtf4j.layer.LayerKind;

/**
 * Named sweeps. Baseline cases are capped by an H·N·L budget so sweeps finish on 2 cores; the paper's
 * LRA profiling shapes (math reference §12.5) are scaled down by the stated factor for CPUs.
 */
public enum StudyPreset {
    /** Under 2 minutes on 2 cores: the shapes of the acceptance targets. */
    QUICK(3, 5, 1L << 28),
    /** Under 10 minutes on 2 cores: N and L sweeps. */
    DEFAULT(2, 5, 1L << 26),
    /** The six LRA profiling shapes with batch and channels divided by 8 (L kept), N = 4 … 512. */
    PAPER_CPU(2, 3, 1L << 27);

    final int warmup;
    final int repetitions;
    /** Largest H·N·L of an S4/S4D case. */
    final long baselineBudget;

    StudyPreset(int warmup, int repetitions, long baselineBudget) {
        this.warmup = warmup;
        this.repetitions = repetitions;
        this.baselineBudget = baselineBudget;
    }

    /** The name on the command line and in study.json: quick, default, paper_cpu. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Warm-up calls before timing. */
    public int warmup() {
        return warmup;
    }

    /** Timed repetitions. */
    public int repetitions() {
        return repetitions;
    }

    /** The cases, in run order. */
    public List<StudyCase> cases() {
        List<StudyCase> out = new ArrayList<>();
        switch (this) {
            case QUICK: {
                // state-free kernel generation: RTF kernel + gradient vs N at L = 2048, H = 256
                for (int n : new int[] {4, 64, 1024}) {
                    for (LayerKind k : LayerKind.values()) {
                        add(out, new StudyCase(k, false, 1, 256, 2048, n, Phase.kernel));
                    }
                }
                // layer forward and forward + backward at B = 8, H = 128, L = 2048, N = 64 and 1024
                for (int n : new int[] {64, 1024}) {
                    for (LayerKind k : LayerKind.values()) {
                        add(out, new StudyCase(k, false, 8, 128, 2048, n, Phase.forward));
                        add(out, new StudyCase(k, false, 8, 128, 2048, n, Phase.forward_backward));
                    }
                }
                // RTF peak memory vs N at B = 8, H = 256, L = 8192
                for (int n : new int[] {4, 4096}) {
                    add(out, new StudyCase(LayerKind.RTF, false, 8, 256, 8192, n, Phase.forward_backward));
                }
                break;
            }
            case DEFAULT: {
                for (int len : new int[] {1024, 4096}) {
                    for (int n : new int[] {4, 16, 64, 256, 1024}) {
                        for (LayerKind k : LayerKind.values()) {
                            add(out, new StudyCase(k, false, 1, 64, len, n, Phase.kernel));
                            add(out, new StudyCase(k, false, 4, 64, len, n, Phase.forward_backward));
                        }
                    }
                }
                for (int n : new int[] {4, 64, 1024, 4096}) {
                    add(out, new StudyCase(LayerKind.RTF, false, 4, 128, 8192, n, Phase.forward_backward));
                }
                break;
            }
            default: {
                int[][] lra = {{2048, 32, 256}, {4096, 16, 256}, {4000, 64, 256}, {1024, 50, 512}, {1024, 64, 256}};
                for (int[] t : lra) {
                    for (int n : new int[] {4, 64, 512}) {
                        for (LayerKind k : LayerKind.values()) {
                            add(out, new StudyCase(k, true, Math.max(1, t[1] / 8), t[2] / 8, t[0], n, Phase.forward_backward));
                        }
                    }
                }
                break;
            }
        }
        return out;
    }

    private void add(List<StudyCase> out, StudyCase c) {
        if (c.layer() != LayerKind.RTF && (long) c.channels() * c.stateSize() * c.length() > baselineBudget) {
            return;
        }
        if (c.layer() == LayerKind.RTF && c.stateSize() >= c.length()) {
            return;
        }
        out.add(c);
    }
}
