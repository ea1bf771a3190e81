package io.seqvision.web.insight;

import io.seqvision.web.api.ReceptiveFieldSummary;

/** An effective-receptive-field heatmap (PNG) and its figures. */
public record ReceptiveFieldMap(ReceptiveFieldSummary summary, byte[] png) {

    public ReceptiveFieldMap {
        png = png.clone();
    }

    @Override
    public byte[] png() {
        return png.clone();
    }
}
