/**
 * Every layer kind behind one door: the typed factory {@link org.rtf4j.models.SequenceLayers} (create, and
 * the memory a layer will need before it is created) from a {@link org.rtf4j.models.LayerSpec} (kind, H,
 * N, L, direction, precision, seed, and the RTF options), and the one mapping between our parameters and
 * the tensors of the PyTorch reference implementations, {@link org.rtf4j.models.ReferenceLayouts}.
 *
 * <p>This is the module above both layer families ({@code org.rtf4j.rtf}, {@code org.rtf4j.baselines})
 * and the plain file formats ({@code org.rtf4j.formats}); models, commands and benchmarks create layers
 * here rather than by their constructors, so swapping the kind is one argument. Created layers belong to
 * the caller, who closes them; the backend passed in stays the caller's too.
 */
package org.rtf4j.models;
