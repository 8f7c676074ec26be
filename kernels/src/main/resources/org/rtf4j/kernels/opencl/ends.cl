// RTF4J device kernels: the ends of the model, embedding, pooling and losses (built after common.cl; see ClSource).
// Integer inputs (token ids, groupings, lengths, targets) are index buffers: __global const int*. Every reduction
// is in a fixed order (no atomics), the JVM kernel's (JvmEndsF64): the embedding gradient one running sum per table
// element, the pooled mean and the loss sums LossShape's pairwise sum (pw* below).

// ---------------------------------------------------------------------------------------------- pairwise sums

// LossShape's pairwise sum, one term at a time: blocks of ENDS_BLOCK terms summed from 0 left to right; block j
// (from 1) merges with the top of the stack while j has trailing zero bits (top + s); the total sums the stack from
// its top down (stack[i] + t). A run of a power of two times ENDS_BLOCK aligned terms is one subtree of it, so
// chunks summed apart and combined by the same counter (pwCombine) give the same bits.
#define ENDS_BLOCK 16
#define ENDS_STACK 32
typedef struct {
    real stack[ENDS_STACK];
    int depth;
    uint blocks;
    real block;
    int inBlock;
} Pairwise;

inline void pwReset(Pairwise* a) {
    a->depth = 0;
    a->blocks = 0;
    a->block = 0;
    a->inBlock = 0;
}

inline void pwPush(Pairwise* a) {
    real s = a->block;
    a->block = 0;
    a->inBlock = 0;
    uint m = ++a->blocks;
    while ((m & 1u) == 0) {
        s = a->stack[--a->depth] + s;
        m >>= 1;
    }
    a->stack[a->depth++] = s;
}

inline void pwAdd(Pairwise* a, real v) {
    a->block = a->block + v;
    if (++a->inBlock == ENDS_BLOCK) {
        pwPush(a);
    }
}

inline real pwTotal(Pairwise* a) {
    if (a->inBlock > 0) {
        pwPush(a);
    }
    if (a->depth == 0) {
        return 0;
    }
    real t = a->stack[a->depth - 1];
    for (int i = a->depth - 2; i >= 0; i--) {
        t = a->stack[i] + t;
    }
    return t;
}

// ---------------------------------------------------------------------------------------------- embedding

// y[(b dim + h) length + t] = table[tokens[b length + t] dim + h]; NaN for a token outside [0, vocabulary) (nothing
// read). Global (length, B dim).
__kernel void embedding(__global const int* tokens, __global const real* table, __global real* y, const int length,
                        const int dim, const int vocabulary) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    int b = r / dim;
    int h = r - b * dim;
    int v = tokens[(size_t) b * length + t];
    y[(size_t) r * length + t] = (v >= 0 && v < vocabulary) ? table[(size_t) v * dim + h] : quietNaN();
}

// dTable[v dim + h] += dy at the positions order[starts[v] .. starts[v+1]) in that order (offsets clamped to
// [0, positions]), one running sum from the old value; a position outside [0, positions) makes the sum NaN.
// Global (dim, vocabulary).
__kernel void embeddingBackward(__global const int* order, __global const int* starts, __global const real* dy,
                                __global real* dTable, const int length, const int dim, const int positions) {
    int h = get_global_id(0);
    int v = get_global_id(1);
    if (h >= dim) return;
    int i0 = clamp(starts[v], 0, positions);
    int i1 = clamp(starts[v + 1], 0, positions);
    size_t at = (size_t) v * dim + h;
    real s = dTable[at];
    for (int i = i0; i < i1; i++) {
        int p = order[i];
        if (p < 0 || p >= positions) {
            s = quietNaN();
            break;
        }
        int b = p / length;
        s = s + dy[((size_t) b * dim + h) * length + (p - b * length)];
    }
    dTable[at] = s;
}

// ---------------------------------------------------------------------------------------------- pooling

// y[r] (r = b channels + c) from the row x[r length ..] over t < n = lengths[b]: the pairwise mean (mean != 0) or
// x[.. n - 1]; NaN for n outside [1, length]. Global (rows).
__kernel void pool(__global const int* lengths, __global const real* x, __global real* y, const int rows,
                   const int channels, const int length, const int mean) {
    int r = get_global_id(0);
    if (r >= rows) return;
    int n = lengths[r / channels];
    if (n < 1 || n > length) {
        y[r] = quietNaN();
        return;
    }
    size_t o = (size_t) r * length;
    if (!mean) {
        y[r] = x[o + n - 1];
        return;
    }
    Pairwise a;
    pwReset(&a);
    for (int t = 0; t < n; t++) {
        pwAdd(&a, x[o + t]);
    }
    y[r] = pwTotal(&a) / (real) n;
}

// dx[r length + t]: dy[r] / n for t < n (mean) or dy[r] at t = n - 1 (last), 0 elsewhere; NaN for the whole row when
// n = lengths[b] is outside [1, length]. Global (length, rows).
__kernel void poolBackward(__global const int* lengths, __global const real* dy, __global real* dx, const int channels,
                           const int length, const int mean) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    int n = lengths[r / channels];
    size_t i = (size_t) r * length + t;
    if (n < 1 || n > length) {
        dx[i] = quietNaN();
    } else if (mean) {
        dx[i] = t < n ? dy[r] / (real) n : (real) 0;
    } else {
        dx[i] = t == n - 1 ? dy[r] : (real) 0;
    }
}

// ---------------------------------------------------------------------------------------------- losses

// Loss terms go to terms[i] and a status to status[i] (0 not counted, 1 counted, 2 counted and correct, 3 invalid)
// for every position (element for MSE) i in flat order; lossPartials sums chunks of them, lossTotal the chunks.

// Softmax cross-entropy at position i = b length + t: logits z_c = logits[base + c length], base = b classes length
// + t; target y = targets[i]: y < 0 ignored (gradient 0), y >= classes invalid (gradient and term NaN), else term
// (m - z_y) + log sum exp(z_c - m), m = max z (first largest = argmax), grad_c = (softmax_c - [c = y]) scale. grad
// may be logits (each column read before written by its own work item). Global (length, B).
__kernel void crossEntropy(__global const real* logits, __global const int* targets, __global real* grad,
                           __global real* terms, __global real* status, const int classes, const int length,
                           const real scale) {
    int t = get_global_id(0);
    int b = get_global_id(1);
    if (t >= length) return;
    size_t i = (size_t) b * length + t;
    size_t base = (size_t) b * classes * length + t;
    int y = targets[i];
    if (y < 0 || y >= classes) {
        real fill = y < 0 ? (real) 0 : quietNaN();
        for (int c = 0; c < classes; c++) {
            grad[base + (size_t) c * length] = fill;
        }
        terms[i] = fill;
        status[i] = y < 0 ? 0 : 3;
        return;
    }
    real m = logits[base];
    int arg = 0;
    for (int c = 1; c < classes; c++) {
        real v = logits[base + (size_t) c * length];
        if (v > m) {
            m = v;
            arg = c;
        }
    }
    real s = 0;
    for (int c = 0; c < classes; c++) {
        s = s + exp(logits[base + (size_t) c * length] - m);
    }
    real term = (m - logits[base + (size_t) y * length]) + log(s);
    for (int c = 0; c < classes; c++) {
        size_t at = base + (size_t) c * length;
        real p = exp(logits[at] - m) / s;
        grad[at] = (c == y ? p - (real) 1 : p) * scale;
    }
    terms[i] = term;
    status[i] = arg == y ? 2 : 1;
}

// Squared error at element i = r length + t, r = b outputs + k: d = outputs[i] - targets[i], grad 2 d scale and term
// d^2 for t < n = lengths[b], 0 at padding; NaN for every element of a sequence whose n is outside [1, length] (its
// first element counted invalid). grad may be outputs. Global (length, B outputs).
__kernel void mse(__global const real* outputs, __global const real* targets, __global const int* lengths,
                  __global real* grad, __global real* terms, __global real* status, const int outputsPer,
                  const int length, const real scale) {
    int t = get_global_id(0);
    int r = get_global_id(1);
    if (t >= length) return;
    int b = r / outputsPer;
    int n = lengths[b];
    size_t i = (size_t) r * length + t;
    if (n < 1 || n > length) {
        grad[i] = quietNaN();
        terms[i] = quietNaN();
        status[i] = (t == 0 && r == b * outputsPer) ? 3 : 0;
    } else if (t < n) {
        real d = outputs[i] - targets[i];
        grad[i] = (real) 2 * d * scale;
        terms[i] = d * d;
        status[i] = 1;
    } else {
        grad[i] = 0;
        terms[i] = 0;
        status[i] = 0;
    }
}

// Chunk g of the loss terms [g chunk, min(count, (g + 1) chunk)): partials[4 g ..] = (pairwise sum, correct, counted,
// invalid). chunk is a power of two times ENDS_BLOCK. Global (chunks).
__kernel void lossPartials(__global const real* terms, __global const real* status, __global real* partials,
                           const int count, const int chunk) {
    int g = get_global_id(0);
    int i0 = g * chunk;
    if (i0 >= count) return;
    int i1 = min(count, i0 + chunk);
    Pairwise a;
    pwReset(&a);
    int correct = 0;
    int counted = 0;
    int invalid = 0;
    for (int i = i0; i < i1; i++) {
        pwAdd(&a, terms[i]);
        int st = (int) status[i];
        correct += st == 2;
        counted += st == 1 || st == 2;
        invalid += st == 3;
    }
    size_t o = (size_t) 4 * g;
    partials[o] = pwTotal(&a);
    partials[o + 1] = (real) correct;
    partials[o + 2] = (real) counted;
    partials[o + 3] = (real) invalid;
}

// The chunks' partials combined: the sums by the pairwise counter (one subtree per chunk), the counts as integers;
// scalars[offset ..] = (loss sum, correct, counted, invalid). One work item.
__kernel void lossTotal(__global const real* partials, __global real* scalars, const int offset, const int chunks) {
    if (get_global_id(0) != 0) return;
    real stack[ENDS_STACK];
    int depth = 0;
    int correct = 0;
    int counted = 0;
    int invalid = 0;
    for (int k = 0; k < chunks; k++) {
        size_t o = (size_t) 4 * k;
        real s = partials[o];
        uint m = (uint) k + 1u;
        while ((m & 1u) == 0) {
            s = stack[--depth] + s;
            m >>= 1;
        }
        stack[depth++] = s;
        correct += (int) partials[o + 1];
        counted += (int) partials[o + 2];
        invalid += (int) partials[o + 3];
    }
    real total = 0;
    if (depth > 0) {
        total = stack[depth - 1];
        for (int i = depth - 2; i >= 0; i--) {
            total = stack[i] + total;
        }
    }
    scalars[offset] = total;
    scalars[offset + 1] = (real) correct;
    scalars[offset + 2] = (real) counted;
    scalars[offset + 3] = (real) invalid;
}
