package org.rtf4j.kernels.backend;

/**
 * The FFT kernels of a {@link Backend}: batched complex transforms and the real transforms beside them.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface FftKernels {

    /**
     * {@link KernelId#FFT_COMPLEX}: {@code rows} in-place complex transforms of length n; row r occupies
     * {@code data[2*n*r .. 2*n*(r+1))}.
     *
     * <p><b>Accuracy.</b> float64: err ≤ 1e-11 against JTransforms for every n from 1 to 4100 (Bluestein
     * lengths included), with the inverse restoring the input within 1e-12; ≤ 1e-10 against the golden
     * files (11 lengths, 1 to 1024) and at the four-step lengths 4096, 8192, 32768, 65536. float32: ≤
     * 2e-6·log2 n against the golden files, against JTransforms at 17 lengths from 1 to 4097 and at the
     * four-step lengths, and for the round trip ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftComplex(int n, int rows, DeviceBuffer data, boolean inverse);

    /**
     * {@link KernelId#FFT_REAL_FORWARD}: for each row r, the first {@code inLength} (≤ n) reals at
     * {@code in[r*inStride ..]}, zero-padded to n, are transformed into the n/2+1 bins at
     * {@code out[2*(n/2+1)*r ..]}.
     *
     * <p><b>Accuracy.</b> float64: err ≤ 1e-11 against JTransforms for every n from 1 to 4100, ≤ 1e-10
     * against the golden files. Both precisions: within the values budget (float32 2e-6·log2 n) against the
     * golden files and for zero-padded rows (inLength 0, 1, n/2 ± 1, n/2, n − 1; 5 rows; n up to 32768),
     * within 4 times it for strided rows (n = 30). Powers of two from 2048 transform two rows at a time
     * and share their rounding: a row's error is relative to the larger row of its pair (tested with rows
     * 10⁴ apart) ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftRealForward(int n, int rows, DeviceBuffer in, int inStride, int inLength, DeviceBuffer out);

    /**
     * {@link KernelId#FFT_REAL_INVERSE}: for each row r, the n/2+1 bins at {@code in[2*(n/2+1)*r ..]} are
     * transformed to n reals (scaled 1/n, imaginary parts of bins 0 and n/2 ignored), of which the first
     * {@code outLength} (≤ n) are written to {@code out[r*outStride ..]}.
     *
     * <p><b>Accuracy.</b> float64: {@code fftRealForward} followed by this restores every n from 1 to 4100
     * within 1e-12; err ≤ 1e-10 against the golden files. float32: ≤ 2e-6·log2 n against the golden files.
     * Truncated outputs (outLength 0, 1, n/2 ± 1, n/2, n − 1; 5 rows; n up to 32768) from spectra rounded
     * to the buffer's precision are within 4 times the values budget of the original rows, and nothing past
     * outLength is written ({@code FftGoldenTest}, {@code FftJTransformsTest}).
     */
    void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength);
}
