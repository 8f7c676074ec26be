/**
 * The speed-up study behind {@code ./rtf4j study}: named sweeps ({@link org.rtf4j.cli.study.StudyPreset}
 * {@code quick}, {@code default}, {@code paper_cpu}) of {@link org.rtf4j.cli.study.StudyCase}s, RTF
 * against S4D and S4 at the same shapes, run by {@link org.rtf4j.cli.study.StudyRunner} and written by
 * {@link org.rtf4j.cli.study.StudyReport} ({@code study.json}, {@code study.csv}, {@code ratios.md}, PNG
 * plots).
 *
 * <p><b>Conventions.</b> Each case gets a fresh backend, a warm-up (a number of calls and at
 * least 0.5 s, after a JIT warm-up of every kind), then timed calls; a record
 * ({@link org.rtf4j.cli.study.StudyRecord}) holds the median and minimum wall time of one call in
 * milliseconds and the peak bytes of backend buffers, scratch and host input/output arrays, with the
 * parameter bytes apart. Baseline cases above the preset's H·N·L budget are left out so a sweep finishes on
 * 2 cores. Wall times on a shared machine vary; compare ratios from one run. Layers are created through
 * {@code org.rtf4j.models}.
 */
package org.rtf4j.cli.study;
