package org.rtf4j.interchange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numpy .npy format, versions 1.0, 2.0 and 3.0: magic {@code \x93NUMPY}, version, header length
 * (2 bytes in 1.0, 4 bytes after), a Python dict literal {@code {'descr': '<f8', 'fortran_order': False,
 * 'shape': (2, 3), }}, then the data. Read: little-endian float32/float64 in C order only, every other case
 * refused by name. Written: version 1.0 (2.0 if the header needs it), atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

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
            long headerLen;
            int start;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                start = 10;
            } else if (major == 2 || major == 3) {
                if (size < 12) {
                    throw bad(file, "file too short for a version " + major + " header");
                }
                headerLen = pre.getInt(8) & 0xffffffffL;
                start = 12;
            } else {
                throw bad(file, "unsupported .npy version " + major + "." + minor + " (1.0, 2.0, 3.0)");
            }
            if (headerLen > size - start || headerLen > 1_000_000) {
                throw bad(file, "header length " + headerLen + " exceeds the file (" + (size - start) + " bytes left)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            read(ch, hb, start, (int) headerLen);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            Matcher f = FORTRAN.matcher(header);
            Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw bad(file, "header is not a dict with descr, fortran_order and shape: " + header.trim());
            }
            DType dtype;
            switch (d.group(1)) {
                case "<f8":
                    dtype = DType.F64;
                    break;
                case "<f4":
                    dtype = DType.F32;
                    break;
                case ">f8":
                case ">f4":
                    throw bad(file, "big-endian dtype '" + d.group(1) + "' is not supported (little-endian only)");
                default:
                    throw bad(file, "unsupported dtype '" + d.group(1) + "' (float32 '<f4' and float64 '<f8' only)");
            }
            if (f.group(1).equals("True")) {
                throw bad(file, "fortran_order True is not supported (C order only)");
            }
            long[] shape = parseShape(file, s.group(1));
            long count = 1;
            try {
                for (long x : shape) {
                    count = Math.multiplyExact(count, x);
                }
            } catch (ArithmeticException e) {
                throw bad(file, "shape " + java.util.Arrays.toString(shape) + " overflows");
            }
            long dataBytes = size - start - headerLen;
            if (count > Integer.MAX_VALUE - 8 || count * dtype.bytes() != dataBytes) {
                throw bad(file, "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                    + (count > Long.MAX_VALUE / 8 ? "more" : String.valueOf(count * dtype.bytes())) + " data bytes, file has " + dataBytes
                    + (count * dtype.bytes() > dataBytes ? " (truncated)" : ""));
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

    private static long[] parseShape(Path file, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return new long[0];
        }
        String[] parts = t.split(",");
        int n = parts.length;
        if (parts[n - 1].trim().isEmpty()) {
            n--;
        }
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            String p = parts[i].trim().replaceAll("L$", "");
            try {
                s[i] = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw bad(file, "shape entry '" + p + "' is not an integer");
            }
            if (s[i] < 0) {
                throw bad(file, "shape entry " + s[i] + " is negative");
            }
        }
        return s;
    }

    private static void read(FileChannel ch, ByteBuffer b, long pos, int len) throws IOException {
        b.limit(len);
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + p);
            }
            p += r;
        }
        b.flip();
    }

    private static FileFormatException bad(Path file, String problem) {
        return new FileFormatException(file + ": " + problem);
    }
}
