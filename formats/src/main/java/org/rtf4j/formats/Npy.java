package org.rtf4j.formats;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The numpy .npy format, versions 1.0, 2.0 and 3.0: magic {@code \x93NUMPY}, version, header length
 * (2 bytes in 1.0, 4 bytes after), a Python dict literal {@code {'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3), }}, then the data. Read: little-endian float32/float64 in C order only, every other case
 * refused by name. Written: version 1.0 (2.0 if the header needs it), atomically.
 *
 * <p>The header is read by numpy's rules ({@code numpy/lib/format.py}): the version is exactly 1.0, 2.0 or
 * 3.0; the header is latin-1 text (UTF-8 in 3.0) of at most {@value #MAX_HEADER_CHARS} characters and no NUL;
 * it is one Python literal as {@code ast.literal_eval} reads it ({@link PyLiteral}: either quote style,
 * trailing commas, comments, any integer notation; the Python 2 {@code 2L} before 3.0); that literal is a
 * dict with exactly the keys descr, fortran_order and shape; shape is a tuple of integers, fortran_order
 * True or False and descr a string. Stricter than numpy: a key given twice is refused (numpy keeps the
 * last), as are negative dimensions, dimensions above {@link Integer#MAX_VALUE} (numpy allows them when
 * another is 0), and data bytes beyond the array (numpy ignores them). Every check is made before the data
 * is allocated.
 */
public final class Npy {
    /** Longest header numpy reads without {@code allow_pickle}, in characters. */
    public static final int MAX_HEADER_CHARS = 10_000;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final List<String> KEYS = List.of("descr", "fortran_order", "shape");

    private Npy() {
    }

    /** Reads a .npy file; the tensor is named after the file. */
    public static Tensor read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 10) {
                throw bad(file, "file has " + size + " bytes, too short for a .npy header");
            }
            read(ch, pre, 0, (int) Math.min(12, size));
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) {
                    throw bad(file, "not a .npy file (magic bytes missing)");
                }
            }
            int major = pre.get(6) & 0xff;
            int minor = pre.get(7) & 0xff;
            if (major < 1 || major > 3 || minor != 0) {
                throw bad(file, "unsupported .npy version " + major + "." + minor + " (1.0, 2.0, 3.0)");
            }
            long headerLen;
            int start;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                start = 10;
            } else {
                if (size < 12) {
                    throw bad(file, "file too short for a version " + major + " header");
                }
                headerLen = pre.getInt(8) & 0xffffffffL;
                start = 12;
            }
            if (headerLen > size - start) {
                throw bad(file, "header length " + headerLen + " exceeds the file (" + (size - start) + " bytes left)");
            }
            // a character is one byte in latin-1 and at most four in UTF-8
            if (major < 3 && headerLen > MAX_HEADER_CHARS) {
                throw bad(file, "header has " + headerLen + " characters, more than numpy's limit of " + MAX_HEADER_CHARS);
            }
            if (headerLen > 4L * MAX_HEADER_CHARS) {
                throw bad(file, "header has " + headerLen + " bytes, more than numpy's limit of " + MAX_HEADER_CHARS
                    + " characters can take");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            read(ch, hb, start, (int) headerLen);
            Header h = header(file, hb.array(), major);
            long[] shape = h.shape;
            long count = 1;
            try {
                for (long x : shape) {
                    count = Math.multiplyExact(count, x);
                }
            } catch (ArithmeticException e) {
                throw bad(file, "shape " + java.util.Arrays.toString(shape) + " overflows");
            }
            DType dtype = h.dtype;
            long dataBytes = size - start - headerLen;
            if (count > Integer.MAX_VALUE - 8 || count * dtype.bytes() != dataBytes) {
                throw bad(file, "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                    + (count > Long.MAX_VALUE / 8 ? "more" : String.valueOf(count * dtype.bytes())) + " data bytes, file has " + dataBytes
                    + (count > Long.MAX_VALUE / 8 || count * dtype.bytes() > dataBytes ? " (truncated)" : ""));
            }
            ByteBuffer data = ByteBuffer.allocate((int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
            read(ch, data, start + headerLen, (int) dataBytes);
            String name = file.getFileName().toString().replaceFirst("\\.npy$", "");
            return new Tensor(name, dtype, shape, SafeTensors.decode(data, dtype, (int) count));
        } catch (NoSuchFileException e) {
            throw new FileFormatException(file + ": no such file");
        } catch (IOException e) {
            throw IoMessages.cannot("read", file, e);
        }
    }

    private record Header(DType dtype, long[] shape) {
    }

    /** Decodes and checks the header bytes of a file of the given major version. */
    private static Header header(Path file, byte[] bytes, int major) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw bad(file, "header holds a NUL byte at byte offset " + i + " of the header (numpy refuses it)");
            }
        }
        String text;
        if (major == 3) {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharBuffer out = CharBuffer.allocate(bytes.length);
            if (dec.decode(in, out, true).isError()) {
                throw bad(file, "version 3.0 header is not valid UTF-8 at byte offset " + in.position() + " of the header");
            }
            dec.flush(out);
            text = out.flip().toString();
        } else {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > MAX_HEADER_CHARS) {
            throw bad(file, "header has " + chars + " characters, more than numpy's limit of " + MAX_HEADER_CHARS);
        }
        Object root;
        try {
            root = PyLiteral.parse(text, major < 3);
        } catch (PyLiteral.DuplicateKey e) {
            throw bad(file, "header key " + FileFormatException.quote(e.key) + " appears twice (at character "
                + (text.codePointCount(0, e.offset) + 1) + ")");
        } catch (PyLiteral.SyntaxError e) {
            throw bad(file, "header is not a Python literal numpy reads, at character "
                + (text.codePointCount(0, e.offset) + 1) + ": " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw bad(file, "header is not a dict but " + PyLiteral.repr(root));
        }
        for (Object k : dict.keySet()) {
            if (!KEYS.contains(k)) {
                throw bad(file, "header key " + FileFormatException.quote((String) k) + " is not one numpy allows (descr, fortran_order, shape)");
            }
        }
        for (String k : KEYS) {
            if (!dict.containsKey(k)) {
                throw bad(file, "header lacks the key '" + k + "'");
            }
        }
        // numpy's order: shape, fortran_order, descr
        Object s = dict.get("shape");
        if (!(s instanceof PyLiteral.Tuple tuple)) {
            throw bad(file, "shape must be a tuple of integers such as (2, 3), (3,) or (), got " + PyLiteral.repr(s));
        }
        long[] shape = new long[tuple.items().size()];
        for (int i = 0; i < shape.length; i++) {
            Object d = tuple.items().get(i);
            if (!(d instanceof BigInteger n)) {
                throw bad(file, "shape entry " + i + " is " + PyLiteral.repr(d) + ", not an integer");
            }
            if (n.signum() < 0) {
                throw bad(file, "shape entry " + i + " is " + PyLiteral.repr(n) + "; a dimension cannot be negative");
            }
            if (n.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw bad(file, "shape entry " + i + " is " + PyLiteral.repr(n) + ", more than the largest dimension we hold ("
                    + Integer.MAX_VALUE + ")");
            }
            shape[i] = n.longValue();
        }
        Object f = dict.get("fortran_order");
        if (!(f instanceof Boolean fortran)) {
            throw bad(file, "fortran_order must be True or False, got " + PyLiteral.repr(f));
        }
        Object d = dict.get("descr");
        if (!(d instanceof String descr)) {
            throw bad(file, "descr must be a string such as '<f8', got " + PyLiteral.repr(d)
                + " (structured and subarray dtypes are not supported)");
        }
        DType dtype;
        switch (descr) {
            case "<f8":
                dtype = DType.F64;
                break;
            case "<f4":
                dtype = DType.F32;
                break;
            case ">f8":
            case ">f4":
                throw bad(file, "big-endian dtype '" + descr + "' is not supported (little-endian only)");
            default:
                throw bad(file, "unsupported dtype " + FileFormatException.quote(descr) + " (float32 '<f4' and float64 '<f8' only)");
        }
        if (fortran) {
            throw bad(file, "fortran_order True is not supported (C order only)");
        }
        return new Header(dtype, shape);
    }

    /** Writes a tensor (F32 or F64) as .npy under the output policy of {@link OutputFiles} (a regular file atomically). */
    public static void write(Path file, Tensor t) {
        if (!t.dtype().writable()) {
            throw new IllegalArgumentException("cannot write dtype " + t.dtype() + " to .npy (F32 and F64 only)");
        }
        StringBuilder shape = new StringBuilder();
        for (long x : t.shape()) {
            shape.append(x).append(", ");
        }
        String dims = t.rank() == 1 ? shape.toString().trim() : shape.toString().replaceAll(", $", "");
        String dict = "{'descr': '" + t.dtype().npyDescr() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pre = 10;
        int total = (pre + dict.length() + 1 + 63) / 64 * 64;
        int major = 1;
        if (total - pre > 65535) {
            pre = 12;
            total = (pre + dict.length() + 1 + 63) / 64 * 64;
            major = 2;
        }
        int headerLen = total - pre;
        ByteBuffer head = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            head.putShort((short) headerLen);
        } else {
            head.putInt(headerLen);
        }
        head.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (head.position() < total - 1) {
            head.put((byte) ' ');
        }
        head.put((byte) '\n');
        head.flip();
        OutputFiles.write(file, List.of(head, SafeTensors.encode(t)));
    }

    private static void read(FileChannel ch, ByteBuffer b, long pos, int len) throws IOException {
        b.limit(len);
        SafeTensors.readFully(ch, b, pos);
    }

    private static FileFormatException bad(Path file, String problem) {
        return new FileFormatException(file + ": " + problem);
    }
}
