package io.seqvision.tasks.data.shapes;

/** The named fill colours of objects; the name is the word captions use. */
public enum ShapeColor {
    RED("red", 0xD62828),
    GREEN("green", 0x2A9D3A),
    BLUE("blue", 0x1F4FD8),
    YELLOW("yellow", 0xF5D300),
    PURPLE("purple", 0x8E2DB8),
    ORANGE("orange", 0xF77F00),
    WHITE("white", 0xF5F5F5),
    BLACK("black", 0x141414);

    private final String word;
    private final int rgb;

    ShapeColor(String word, int rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** @return the colour's name as captions write it */
    public String word() {
        return word;
    }

    /** @return the colour as 0xRRGGBB */
    public int rgb() {
        return rgb;
    }

    /** @return Euclidean distance in RGB space between this colour and {@code otherRgb} (0xRRGGBB) */
    public double distanceTo(int otherRgb) {
        return rgbDistance(rgb, otherRgb);
    }

    static double rgbDistance(int a, int b) {
        int dr = ((a >> 16) & 0xFF) - ((b >> 16) & 0xFF);
        int dg = ((a >> 8) & 0xFF) - ((b >> 8) & 0xFF);
        int db = (a & 0xFF) - (b & 0xFF);
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** Rec. 601 luma in [0, 255]. */
    double luma() {
        return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
    }
}
