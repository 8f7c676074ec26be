/**
 * JMH benchmarks, shaded into {@code bench/target/benchmarks.jar} and never part of the library jars:
 * {@link org.rtf4j.bench.FftBench} (one complex float transform, ours against JTransforms 3.1),
 * {@link org.rtf4j.bench.BatchedRealFftBench} (the convolution's batched real transforms),
 * {@link org.rtf4j.bench.LayerBench} (forward, forward + backward, kernel + gradient of RTF, S4D and S4 on
 * either backend), {@link org.rtf4j.bench.RecurrentBench} (one recurrent step) and
 * {@link org.rtf4j.bench.TrainStepBench} (one training update of the sMNIST and IMDB models on generated
 * inputs; its {@code main} prints the update's per-op profile).
 *
 * <p><b>Conventions.</b> State is per trial; each benchmark validates its output once per trial, outside the
 * measured region, against direct sums or JTransforms, and fails on a mismatch. FFT benchmarks time forward
 * + inverse pairs so that no copy is timed. Reported numbers use at least 3 forks; {@code mvn verify} runs
 * every benchmark once as a smoke pass that asserts no timing. The backend is chosen explicitly
 * ({@code jvm} or {@code opencl}); layers are created through {@code org.rtf4j.models}. How to run them and
 * the results are in the README; the history of the measurements in {@code docs/performance-log.md}.
 */
package org.rtf4j.bench;
