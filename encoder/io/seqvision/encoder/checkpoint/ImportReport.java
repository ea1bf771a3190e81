package io.seqvision.encoder.checkpoint;

import java.nio.file.Path;
import java.util.List;

/**
 * What loading a checkpoint did.
 *
 * @param file the file read
 * @param wrapperKey the dictionary key the state dict was found under, or null when unwrapped
 * @param loaded how many model parameters were set
 * @param renamed file names that the family's rename table changed, as "file name -> model name"
 * @param droppedHead file tensors of the classification head left out ({@link HeadPolicy#DROP})
 * @param unused file tensors the model has no parameter for (not counting the head when dropped,
 *     nor PyTorch's {@code num_batches_tracked} counters)
 */
public record ImportReport(
        Path file,
        String wrapperKey,
        int loaded,
        List<String> renamed,
        List<String> droppedHead,
        List<String> unused) {

    public ImportReport {
        renamed = List.copyOf(renamed);
        droppedHead = List.copyOf(droppedHead);
        unused = List.copyOf(unused);
    }

    /** The file tensors that were not loaded, the dropped head's included, sorted. */
    public List<String> notLoaded() {
        List<String> names = new java.util.ArrayList<>(unused);
        names.addAll(droppedHead);
        java.util.Collections.sort(names);
        return names;
    }

    /** One line for logs: what was loaded from where. */
    public String summary() {
        return "loaded "
                + loaded
                + " tensors from "
                + file
                + (wrapperKey == null ? "" : " (state dict under '" + wrapperKey + "')")
                + (renamed.isEmpty() ? "" : ", " + renamed.size() + " renamed")
                + (droppedHead.isEmpty() ? "" : ", head dropped " + droppedHead)
                + (unused.isEmpty() ? "" : ", unused " + unused);
    }
}
