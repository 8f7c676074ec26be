package org.rtf4j.kernels.opencl;

import java.util.List;

/**
 * Every {@code __kernel} function of the OpenCL program ({@link ClSource}), with its parameters in order: the name the
 * source gives each and its kind. {@link ClRuntime#launch} checks a launch's arguments against these
 * kinds, and {@code ClKernelSourceTest} checks the constants against the source's signatures (same
 * kernels, same parameter names and kinds), so a kernel added, removed or changed on one side only
 * fails a test instead of an enqueue.
 */
enum ClKernel {
    // FFT
    FFT_LOCAL("fftLocal", buffer("x"), buffer("y"), buffer("tw"), integer("logN"), integer("logLen"), integer("logCnt"),
        integer("total"), integer("logPer"), integer("inT"), integer("inE"), integer("outT"), integer("outE"),
        integer("twiddleOut"), integer("sign"), real("s"), local("buf")),
    FFT_RADIX2_PASS("fftRadix2Pass", buffer("x"), buffer("y"), buffer("tw"), integer("n"), integer("p"), integer("sign"),
        real("s")),
    BLUESTEIN_PRE("bluesteinPre", buffer("x"), buffer("w"), buffer("chirp"), integer("n"), integer("m"), integer("sign")),
    MUL_TABLE("mulTable", buffer("w"), buffer("table"), integer("m")),
    BLUESTEIN_POST("bluesteinPost", buffer("w"), buffer("x"), buffer("chirp"), integer("n"), integer("m"), integer("sign"),
        real("s")),
    PACK_EVEN("packEven", buffer("in"), integer("inOff"), integer("inStride"), integer("inLen"), buffer("z"), integer("h")),
    PACK_ODD("packOdd", buffer("in"), integer("inOff"), integer("inStride"), integer("inLen"), buffer("z"), integer("n")),
    SPLIT_FORWARD("splitForward", buffer("z"), buffer("out"), buffer("split"), integer("h")),
    COPY_BINS("copyBins", buffer("z"), integer("n"), buffer("out"), integer("bins")),
    MERGE_INVERSE("mergeInverse", buffer("in"), buffer("z"), buffer("split"), integer("h")),
    HERMITIAN_FULL("hermitianFull", buffer("in"), integer("bins"), buffer("z"), integer("n")),
    UNPACK_EVEN("unpackEven", buffer("z"), integer("h"), buffer("out"), integer("outOff"), integer("outStride"),
        integer("outLen"), real("s")),
    UNPACK_ODD("unpackOdd", buffer("z"), integer("n"), buffer("out"), integer("outOff"), integer("outStride"),
        integer("outLen"), real("s")),
    // convolution
    TWO_SIDED_KERNEL("twoSidedKernel", buffer("kf"), buffer("kb"), buffer("kappa"), integer("ell"), integer("n")),
    SPECTRAL_MUL("spectralMul", buffer("u"), buffer("kspec"), buffer("out"), integer("bins"), integer("h")),
    CONV_BACKWARD_SPECTRA("convBackwardSpectra", buffer("g"), buffer("u"), buffer("kspec"), buffer("acc"), integer("bins"),
        integer("h"), integer("batch")),
    KERNEL_GRADS("kernelGrads", buffer("g"), buffer("dkf"), buffer("dkb"), integer("ell"), integer("n"), integer("twoSided")),
    // rational spectrum
    PAD_RATIONAL("padRational", buffer("a"), buffer("b"), buffer("rows"), integer("order"), integer("numA")),
    REFINE_DENOMINATORS("refineDenominators", buffer("ab"), buffer("a"), buffer("margin"), integer("bins"),
        integer("order"), integer("p"), real("refine")),
    RATIONAL_DIVIDE("rationalDivide", buffer("ab"), buffer("h0"), buffer("specA"), buffer("specB"), buffer("specK"),
        integer("bins"), integer("numA"), integer("per")),
    MIN_MAGNITUDE("minMagnitude", buffer("specA"), buffer("a"), buffer("minMag"), integer("bins"), integer("order"),
        integer("numA")),
    RATIONAL_BACKWARD_SPECTRA("rationalBackwardSpectra", buffer("gam"), buffer("specA"), buffer("specB"), buffer("xb"),
        buffer("work"), integer("bins"), integer("per")),
    GROUP_SUM("groupSum", buffer("work"), buffer("s"), integer("bins"), integer("per")),
    DROP_LAG0("dropLag0", buffer("src"), buffer("dst"), integer("order")),
    TAKE_LAG0("takeLag0", buffer("src"), buffer("dst"), integer("stride"), integer("count")),
    // modal kernels
    VANDERMONDE("vandermonde", buffer("logZ"), buffer("chat"), buffer("lag0"), integer("hasLag0"), buffer("k"),
        integer("modes"), integer("len")),
    VANDERMONDE_BACKWARD("vandermondeBackward", buffer("logZ"), buffer("w"), buffer("sums"), buffer("weighted"),
        integer("modes"), integer("len")),
    CAUCHY("cauchy", buffer("w"), buffer("v"), buffer("lag0"), integer("hasLag0"), buffer("khat"), integer("modes"),
        integer("len"), integer("hh")),
    CAUCHY_BACKWARD_NODES("cauchyBackwardNodes", buffer("w"), buffer("v"), buffer("gspec"), buffer("gr"), integer("modes"),
        integer("len"), integer("hh")),
    CAUCHY_BACKWARD_MODES("cauchyBackwardModes", buffer("w"), buffer("v"), buffer("gr"), buffer("gspec"), buffer("gv"),
        buffer("gw"), buffer("gamma"), buffer("lag0Grad"), integer("modes"), integer("len"), integer("hh")),
    // dense
    GEMM("gemm", buffer("a"), buffer("b"), buffer("c"), integer("transA"), integer("transB"), integer("m"), integer("n"),
        integer("k"), integer("batch"), integer("lda"), integer("ldb"), integer("ldc"), integer("aOff"), integer("bOff"),
        integer("cOff"), integer("strideA"), integer("strideB"), integer("strideC"), integer("reduce"), real("alpha"),
        real("beta"), integer("ts"), local("as"), local("bs")),
    // activations
    GELU("gelu", buffer("x"), buffer("y"), integer("count")),
    GELU_BACKWARD("geluBackward", buffer("x"), buffer("dy"), buffer("dx"), integer("count")),
    GLU("glu", buffer("x"), buffer("y"), integer("length"), integer("hc")),
    GLU_BACKWARD("gluBackward", buffer("x"), buffer("dy"), buffer("dx"), integer("length"), integer("hc")),
    // ---- optimiser and linear-algebra glue (issue 15), optim.cl
    BIAS_ADD("biasAdd", buffer("bias"), buffer("y"), integer("length"), integer("channels"), integer("accumulate")),
    BIAS_ROW_SUMS("biasRowSums", buffer("dy"), buffer("rowSums"), integer("length"), local("sums")),
    BIAS_GRAD_SUM("biasGradSum", buffer("rowSums"), buffer("db"), integer("batch"), integer("channels")),
    AXPY("axpy", buffer("x"), buffer("y"), integer("count"), integer("xOffset"), integer("yOffset"), real("alpha")),
    SUM_SQUARES_CHUNKS("sumSquaresChunks", buffer("x"), buffer("chunkSums"), integer("offset"), integer("count"),
        local("sums")),
    SUM_SQUARES_FINISH("sumSquaresFinish", buffer("chunkSums"), buffer("partials"), integer("chunks"), integer("slot")),
    ADAMW("adamW", buffer("param"), buffer("grad"), buffer("m"), buffer("v"), buffer("partials"), integer("offset"),
        integer("count"), integer("partialCount"), real("lr"), real("wd"), real("beta1"), real("oneMinusBeta1"),
        real("beta2"), real("oneMinusBeta2"), real("eps"), real("c1"), real("c2"), real("maxNorm")),
    // ---- normalisation and dropout (issue 15), norm.cl
    LAYER_NORM("layerNorm", buffer("x"), buffer("gamma"), buffer("beta"), buffer("y"), buffer("mean"), buffer("invStd"),
        integer("channels"), integer("length"), integer("positions")),
    LAYER_NORM_BACKWARD("layerNormBackward", buffer("x"), buffer("gamma"), buffer("mean"), buffer("invStd"), buffer("dy"),
        buffer("dx"), integer("channels"), integer("length"), integer("positions")),
    NORM_CHUNK_SUMS("normChunkSums", buffer("x"), buffer("dy"), buffer("mean"), buffer("invStd"), indices("lengths"),
        buffer("partA"), buffer("partB"), integer("channels"), integer("length"), integer("chunks"), integer("perPosition"),
        integer("hasLengths")),
    CHANNEL_TOTALS("channelTotals", buffer("partA"), buffer("partB"), indices("lengths"), buffer("dGamma"),
        buffer("dBeta"), buffer("sums"), integer("batch"), integer("channels"), integer("length"), integer("chunks"),
        integer("hasLengths"), integer("keep")),
    VALID_CHUNK_SUMS("validChunkSums", buffer("x"), indices("lengths"), buffer("centre"), buffer("part"),
        integer("channels"), integer("length"), integer("chunks"), integer("hasLengths"), integer("centred")),
    BATCH_NORM_MEAN("batchNormMean", buffer("part"), indices("lengths"), buffer("runningMean"), buffer("mean"),
        integer("batch"), integer("channels"), integer("length"), integer("chunks"), integer("hasLengths"),
        integer("training")),
    BATCH_NORM_VARIANCE("batchNormVariance", buffer("part"), indices("lengths"), buffer("mean"), buffer("runningMean"),
        buffer("runningVar"), buffer("invStd"), integer("batch"), integer("channels"), integer("length"), integer("chunks"),
        integer("hasLengths"), integer("training")),
    NORM_APPLY("normApply", buffer("x"), buffer("gamma"), buffer("beta"), buffer("mean"), buffer("invStd"), buffer("y"),
        integer("channels"), integer("length")),
    BATCH_NORM_BACKWARD("batchNormBackward", buffer("x"), indices("lengths"), buffer("gamma"), buffer("mean"),
        buffer("invStd"), buffer("dy"), buffer("dx"), buffer("sums"), integer("channels"), integer("length"),
        integer("hasLengths"), integer("training")),
    MASK_PADDING("maskPadding", buffer("x"), indices("lengths"), integer("channels"), integer("length")),
    DROPOUT("dropout", buffer("in"), buffer("out"), integer("count"), integer("threshold"), integer("layer"),
        integer("step0"), integer("step1"), integer("key0"), integer("key1"), real("scale")),
    DROPOUT_TIED("dropoutTied", buffer("in"), buffer("out"), integer("length"), integer("threshold"), integer("layer"),
        integer("step0"), integer("step1"), integer("key0"), integer("key1"), real("scale")),
    // ---- ends of the model: embedding, pooling, losses (issue 15), ends.cl
    EMBEDDING("embedding", indices("tokens"), buffer("table"), buffer("y"), integer("length"), integer("dim"),
        integer("vocabulary")),
    EMBEDDING_BACKWARD("embeddingBackward", indices("order"), indices("starts"), buffer("dy"), buffer("dTable"),
        integer("length"), integer("dim"), integer("positions")),
    POOL("pool", indices("lengths"), buffer("x"), buffer("y"), integer("rows"), integer("channels"), integer("length"),
        integer("mean")),
    POOL_BACKWARD("poolBackward", indices("lengths"), buffer("dy"), buffer("dx"), integer("channels"), integer("length"),
        integer("mean")),
    CROSS_ENTROPY("crossEntropy", buffer("logits"), indices("targets"), buffer("grad"), buffer("terms"), buffer("status"),
        integer("classes"), integer("length"), real("scale")),
    MSE("mse", buffer("outputs"), buffer("targets"), indices("lengths"), buffer("grad"), buffer("terms"), buffer("status"),
        integer("outputsPer"), integer("length"), real("scale")),
    LOSS_PARTIALS("lossPartials", buffer("terms"), buffer("status"), buffer("partials"), integer("count"), integer("chunk")),
    LOSS_TOTAL("lossTotal", buffer("partials"), buffer("scalars"), integer("offset"), integer("chunks"));

    /** What a kernel parameter is, and what the launcher accepts for it. */
    enum Kind {
        /** {@code __global} pointer: a {@link ClBuffer} of this backend, open, of the launch's precision. */
        BUFFER,
        /** {@code const int}: an {@link Integer}. */
        INT,
        /** {@code const real}: a {@link Double}, passed as float or double by the launch's precision. */
        REAL,
        /** {@code __local} pointer: a {@link ClRuntime.Local} giving its size in bytes. */
        LOCAL,
        /**
         * {@code __global const int*}: the 4-byte storage {@link ClBuffer} of a {@link ClIndexBuffer} of this
         * backend (or a 4-byte dummy), open, whatever the launch's precision.
         */
        INDICES
    }

    /** One parameter: its name in the source and its kind. */
    record Param(String name, Kind kind) {
        @Override
        public String toString() {
            return name + ":" + kind;
        }
    }

    private final String functionName;
    private final List<Param> params;

    ClKernel(String functionName, Param... params) {
        this.functionName = functionName;
        this.params = List.of(params);
    }

    /** The {@code __kernel} function's name in the OpenCL program. */
    String functionName() {
        return functionName;
    }

    /** The parameters, in order. */
    List<Param> params() {
        return params;
    }

    private static Param buffer(String name) {
        return new Param(name, Kind.BUFFER);
    }

    private static Param integer(String name) {
        return new Param(name, Kind.INT);
    }

    private static Param real(String name) {
        return new Param(name, Kind.REAL);
    }

    private static Param indices(String name) {
        return new Param(name, Kind.INDICES);
    }

    private static Param local(String name) {
        return new Param(name, Kind.LOCAL);
    }
}
