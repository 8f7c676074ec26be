// RTF4J device kernels, common part: the precision types and the helpers every other file uses. The program
// is these files in ClSource's order (common, fft, convolution, rational, modal, dense), built once per
// precision: with -DUSE_DOUBLE for float64 (devices with cl_khr_fp64), without for float32. Complex values
// are real2 = (re, im), interleaved, as every backend's layout. Each composite operation of the Backend
// seam is a short sequence of kernels; their names and arguments are documented next to each kernel.

#ifdef USE_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
typedef double2 real2;
#else
typedef float real;
typedef float2 real2;
#endif

// Helpers in the build's precision only: a float32 build enables no extension and computes nothing in double
// (it is the same program on devices with and without cl_khr_fp64; the tests also build it with
// -cl-single-precision-constant).
#ifdef USE_DOUBLE
typedef ulong rbits;
#define EXP_MASK 0x7ff0000000000000UL
inline rbits bitsOf(real x) { return as_ulong(x); }
inline real quietNaN() { return as_double(0x7ff8000000000000UL); }
#else
typedef uint rbits;
#define EXP_MASK 0x7f800000U
inline rbits bitsOf(real x) { return as_uint(x); }
inline real quietNaN() { return as_float(0x7fc00000U); }
#endif

// True for NaN and ±inf, by the exponent bits: -cl-fast-relaxed-math (finite-math-only) lets a compiler fold
// isnan/isinf and ordered comparisons with NaN to constants, and treat NAN/INFINITY literals as undefined, so
// the checks that must see a NaN test bits and write one from bits (quietNaN).
inline int notFinite(real x) { return (bitsOf(x) & EXP_MASK) == EXP_MASK; }

inline real2 cmul(real2 a, real2 b) { return (real2)(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
inline real2 cmulConj(real2 a, real2 b) { return (real2)(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y); } // a * conj(b)
inline real2 cdiv(real2 a, real2 b) { real d = (real) 1 / (b.x * b.x + b.y * b.y); return (real2)((a.x * b.x + a.y * b.y) * d, (a.y * b.x - a.x * b.y) * d); }
inline real2 conj2(real2 a) { return (real2)(a.x, -a.y); }
