package io.seqvision.tasks.data.shapes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Paints a {@link Scene}: backdrop, then each object (antialiased) in placement order: a person's far limbs
 * in their shade first, then the other polygons, then the eyes.
 */
final class SceneRenderer {

    private SceneRenderer() {}

    static BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        scene.background().paint(pixels, scene.width(), scene.height());
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject object : scene.objects()) {
                boolean[] far = new boolean[object.polygons().size()];
                if (object.farParts().length > 0) {
                    g.setColor(new Color(object.farRgb()));
                    for (int part : object.farParts()) {
                        far[part] = true;
                        g.fill(Polygons.path(object.polygons().get(part)));
                    }
                }
                g.setColor(new Color(object.color().rgb()));
                for (int i = 0; i < far.length; i++) {
                    if (!far[i]) {
                        g.fill(Polygons.path(object.polygons().get(i)));
                    }
                }
                if (!object.eyes().isEmpty()) {
                    g.setColor(new Color(object.eyeRgb()));
                    for (double[] eye : object.eyes()) {
                        g.fill(Polygons.path(eye));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
