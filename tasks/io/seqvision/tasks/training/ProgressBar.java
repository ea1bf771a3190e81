package io.seqvision.tasks.training;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress report: step, bar, loss, learning rate, images/s and time left. Redraws in
 * place on a terminal and prints one line per report otherwise (CI logs).
 */
public final class ProgressBar {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private final boolean inPlace;
    private final long totalSteps;

    public ProgressBar(PrintStream out, long totalSteps, boolean inPlace) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.inPlace = inPlace;
    }

    public static ProgressBar console(long totalSteps) {
        return new ProgressBar(System.out, totalSteps, System.console() != null);
    }

    /**
     * @param secondsLeft estimated time to the last step, or a negative value when unknown
     */
    public void report(long step, double loss, double learningRate, double imagesPerSecond, double secondsLeft) {
        out.print(format(step, loss, learningRate, imagesPerSecond, secondsLeft));
        out.print(inPlace ? "\r" : System.lineSeparator());
        out.flush();
    }

    /** A line of its own (an evaluation's figures), leaving the bar to redraw below it. */
    public void message(String line) {
        if (inPlace) {
            out.println();
        }
        out.println(line);
        out.flush();
    }

    public void finish() {
        if (inPlace) {
            out.println();
        }
    }

    String format(long step, double loss, double learningRate, double imagesPerSecond, double secondsLeft) {
        int filled = (int) Math.min(WIDTH, WIDTH * step / Math.max(1, totalSteps));
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String eta = secondsLeft < 0
                ? "--:--"
                : String.format(Locale.ROOT, "%02d:%02d", (long) secondsLeft / 60, (long) secondsLeft % 60);
        return String.format(Locale.ROOT, "step %d/%d [%s] loss %.4f lr %.2e %.1f img/s eta %s",
                step, totalSteps, bar, loss, learningRate, imagesPerSecond, eta);
    }
}
