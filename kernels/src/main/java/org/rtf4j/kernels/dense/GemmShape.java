package org.rtf4j.kernels.dense;

/**
 * Shape of a batched general matrix product on row-major matrices:
 * <pre>
 *   C_b = α · op(A_b) · op(B_b) + β · C_b      for b = 0 .. batch−1   (strideC &gt; 0 or batch = 1)
 *   C   = α · Σ_b op(A_b) · op(B_b) + β · C                           (strideC = 0 and batch &gt; 1)
 * </pre>
 * with op(A) of m×k, op(B) of k×n and C of m×n. op(X) is X, or Xᵀ when its {@code trans} flag is set.
 * Element (r, c) of a stored matrix X is {@code x[xOffset + b·strideX + r·ldx + c]}: A is stored m×k
 * (k×m when transposed), B k×n (n×k when transposed), C m×n. A batch stride of 0 shares the matrix
 * between the batches (the weight of a linear layer); {@code strideC = 0} sums the batches' products
 * into one C (a weight gradient over the batch).
 *
 * <p><b>Summation order.</b> Every backend sums element (i, j) as one running sum, from 0, over the
 * batches in order and within each over p = 0 .. k−1, then forms α·s + β·c; with β = 0 the old C is
 * not read (a NaN there does not propagate). The JVM backend does exactly this in the buffer's precision,
 * so its result does not depend on the thread count or the blocking.
 *
 * <p>The channel mixing of a linear layer on (B, C, ℓ) signals, time contiguous, W of out×in:
 * <ul>
 *   <li>forward Y_b = W·X_b: {@code of(false, false, out, ℓ, in).batched(B, 0, in·ℓ, out·ℓ)};</li>
 *   <li>weight gradient G += Σ_b dY_b·X_bᵀ: {@code of(false, true, out, in, ℓ).batched(B, out·ℓ, in·ℓ, 0).scaled(1, 1)};</li>
 *   <li>input gradient dX_b = Wᵀ·dY_b: {@code of(true, false, in, ℓ, out).batched(B, 0, out·ℓ, in·ℓ)}.</li>
 * </ul>
 *
 * @param transA  whether op(A) = Aᵀ (A stored k×m)
 * @param transB  whether op(B) = Bᵀ (B stored n×k)
 * @param m       rows of C and op(A), ≥ 1
 * @param n       columns of C and op(B), ≥ 1
 * @param k       the contracted extent, ≥ 1
 * @param batch   number of products, ≥ 1
 * @param lda     row stride of stored A, ≥ its columns
 * @param ldb     row stride of stored B, ≥ its columns
 * @param ldc     row stride of C, ≥ n
 * @param aOffset first element of A_0, ≥ 0
 * @param bOffset first element of B_0, ≥ 0
 * @param cOffset first element of C_0, ≥ 0
 * @param strideA elements from A_b to A_{b+1}, ≥ 0
 * @param strideB elements from B_b to B_{b+1}, ≥ 0
 * @param strideC elements from C_b to C_{b+1}: 0 (sum the batches into one C) or at least the span of one C,
 *                so that the batches' outputs do not overlap
 * @param alpha   α
 * @param beta    β
 */
public record GemmShape(boolean transA, boolean transB, int m, int n, int k, int batch, int lda, int ldb, int ldc,
                        int aOffset, int bOffset, int cOffset, int strideA, int strideB, int strideC, double alpha,
                        double beta) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException naming the first invalid value, what it must be and what it is
     */
    public GemmShape {
        positive("m", m);
        positive("n", n);
        positive("k", k);
        positive("batch", batch);
        atLeast("lda", lda, transA ? m : k);
        atLeast("ldb", ldb, transB ? k : n);
        atLeast("ldc", ldc, n);
        atLeast("aOffset", aOffset, 0);
        atLeast("bOffset", bOffset, 0);
        atLeast("cOffset", cOffset, 0);
        atLeast("strideA", strideA, 0);
        atLeast("strideB", strideB, 0);
        atLeast("strideC", strideC, 0);
        long span = (long) (m - 1) * ldc + n;
        if (strideC != 0 && strideC < span && batch > 1) {
            throw new IllegalArgumentException("GEMM strideC must be 0 or ≥ the span of one C, (m−1)·ldc + n = " + span
                + ", got " + strideC);
        }
    }

    /**
     * A single dense product: leading dimensions equal to the stored widths, offsets 0, batch 1, α = 1, β = 0.
     */
    public static GemmShape of(boolean transA, boolean transB, int m, int n, int k) {
        positive("m", m);
        positive("n", n);
        positive("k", k);
        return new GemmShape(transA, transB, m, n, k, 1, transA ? m : k, transB ? k : n, n, 0, 0, 0, 0, 0, 0, 1.0, 0.0);
    }

    /** This shape over {@code count} batches with the given strides. */
    public GemmShape batched(int count, int strideA, int strideB, int strideC) {
        return new GemmShape(transA, transB, m, n, k, count, lda, ldb, ldc, aOffset, bOffset, cOffset, strideA, strideB,
            strideC, alpha, beta);
    }

    /** This shape with other leading dimensions. */
    public GemmShape leading(int lda, int ldb, int ldc) {
        return new GemmShape(transA, transB, m, n, k, batch, lda, ldb, ldc, aOffset, bOffset, cOffset, strideA, strideB,
            strideC, alpha, beta);
    }

    /** This shape with other offsets of A_0, B_0 and C_0. */
    public GemmShape offsets(int aOffset, int bOffset, int cOffset) {
        return new GemmShape(transA, transB, m, n, k, batch, lda, ldb, ldc, aOffset, bOffset, cOffset, strideA, strideB,
            strideC, alpha, beta);
    }

    /** This shape with other α and β. */
    public GemmShape scaled(double alpha, double beta) {
        return new GemmShape(transA, transB, m, n, k, batch, lda, ldb, ldc, aOffset, bOffset, cOffset, strideA, strideB,
            strideC, alpha, beta);
    }

    /** Whether the batches' products are summed into one C ({@code strideC = 0} with more than one batch). */
    public boolean reducesBatches() {
        return strideC == 0 && batch > 1;
    }

    /** Number of distinct C matrices written: 1 when the batches are summed, else {@code batch}. */
    public int outputs() {
        return reducesBatches() ? 1 : batch;
    }

    /** Elements A must have: up to the last element of the last batch's A. */
    public long aLength() {
        return extent(aOffset, strideA, transA ? k : m, lda, transA ? m : k);
    }

    /** Elements B must have. */
    public long bLength() {
        return extent(bOffset, strideB, transB ? n : k, ldb, transB ? k : n);
    }

    /** Elements C must have. */
    public long cLength() {
        return extent(cOffset, strideC, m, ldc, n);
    }

    /** Floating-point operations of the product, 2·m·n·k per batch (the additions of β·C not counted). */
    public long flops() {
        return 2L * m * n * k * batch;
    }

    private long extent(int offset, int stride, int rows, int ld, int cols) {
        return offset + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GEMM " + name + " must be ≥ 1, got " + v);
        }
    }

    private static void atLeast(String name, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException("GEMM " + name + " must be ≥ " + min + ", got " + v);
        }
    }
}
