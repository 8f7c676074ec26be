package org.rtf4j.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Reads regular files out of a gzip-compressed tar archive (the format of npm tarballs: ustar headers, no
 * compression inside). Only the named entries are kept in memory; every one of them must be present.
 */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /** The contents of the wanted entries, by entry name; a missing entry is an error naming it. */
    static Map<String, byte[]> read(Path archive, Collection<String> wanted) throws IOException {
        Map<String, byte[]> found = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (readFully(in, header, archive)) {
                if (isZero(header)) {
                    break;
                }
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = octal(header, 124, 12, archive);
                byte type = header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == 'L') {           // GNU long name: the next entry's name is this entry's data
                    byte[] data = readData(in, size, padded, archive, name);
                    longName = cString(data, 0, data.length);
                } else if ((type == '0' || type == 0) && wanted.contains(name)) {
                    found.put(name, readData(in, size, padded, archive, name));
                } else {
                    skip(in, padded, archive);
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>(wanted);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            throw new IOException(archive + ": expected entries " + missing + " not found in the archive");
        }
        return found;
    }

    private static byte[] readData(InputStream in, long size, long padded, Path archive, String name)
        throws IOException {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(archive + ": entry " + name + " is too large (" + size + " bytes)");
        }
        byte[] data = new byte[(int) size];
        if (!readFully(in, data, archive)) {
            throw new IOException(archive + ": truncated in entry " + name);
        }
        skip(in, padded - size, archive);
        return data;
    }

    private static boolean readFully(InputStream in, byte[] buf, Path archive) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                if (off == 0) {
                    return false;
                }
                throw new IOException(archive + ": truncated tar archive");
            }
            off += n;
        }
        return true;
    }

    private static void skip(InputStream in, long n, Path archive) throws IOException {
        byte[] buf = new byte[BLOCK * 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException(archive + ": truncated tar archive");
            }
            n -= r;
        }
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(h, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len, Path archive) throws IOException {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = h[i];
            if (c == 0 || c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException(archive + ": bad tar header size field");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
