package org.rtf4j.formats;

/** Element types of tensors in files: float64 and float32 are read and written; float16 and bfloat16 are read and widened. */
public enum DType {
    F64(8, "<f8"),
    F32(4, "<f4"),
    F16(2, "<f2"),
    BF16(2, null);

    private final int bytes;
    private final String npyDescr;

    DType(int bytes, String npyDescr) {
        this.bytes = bytes;
        this.npyDescr = npyDescr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The numpy descriptor, or null if .npy has none. */
    public String npyDescr() {
        return npyDescr;
    }

    /** True for the types we write. */
    public boolean writable() {
        return this == F64 || this == F32;
    }
}
