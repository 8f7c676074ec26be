/**
 * Plain files, no model: safetensors ({@link org.rtf4j.formats.SafeTensors}) and numpy .npy
 * ({@link org.rtf4j.formats.Npy}) readers and writers over {@link org.rtf4j.formats.Tensor} (row-major values
 * widened to float64, shape, file dtype), the policy every output of RTF4J follows
 * ({@link org.rtf4j.formats.OutputFiles}: atomic replacement of regular files, links followed, devices and
 * FIFOs written through) and one-line I/O messages ({@link org.rtf4j.formats.IoMessages}).
 *
 * <p><b>Conventions.</b> Readers validate a header completely, by the rules of the format's reference
 * implementation (stricter where stated), before allocating anything; a refused file is a
 * {@link org.rtf4j.formats.FileFormatException} whose one-line message names the file, the key and the
 * problem. Writers go through {@code OutputFiles}, so a failed write leaves the previous file in place and
 * names the path and the reason.
 *
 * <p>This module depends on no other RTF4J module (JSON by Jackson); {@code org.rtf4j.models} maps tensors
 * to layer parameters, and {@code org.rtf4j.train} uses safetensors for checkpoints.
 */
package org.rtf4j.formats;
