package org.rtf4j.cli.study;

/**
 * One row of {@code study.json}/{@code study.csv}. Times are wall-clock milliseconds of one call, median
 * and minimum over the repetitions after the warm-up. {@code peak_bytes}: backend buffers and scratch
 * (workspace and activations) after the call, plus the host input/output arrays; {@code param_bytes}:
 * parameters and their gradients (host float64), reported apart.
 */
public record StudyRecord(String layer, String direction, String backend, int B, int H, int L, int N, String phase,
                          double median_ms, double min_ms, long peak_bytes, long param_bytes, int repetitions) {
}
